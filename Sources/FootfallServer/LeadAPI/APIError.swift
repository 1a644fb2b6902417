import FootfallCore
import FootfallStore
import Foundation
import Hummingbird

/// Every Lead API failure, rendered as RFC 9457 `application/problem+json` in one place.
/// Errors of the layers below (catalog, site settings) are mapped here too.
public struct APIError: Error, HTTPResponseError {
    public let status: HTTPResponse.Status
    let title: String
    let detail: String
    /// Extra response headers (`Retry-After`, `RateLimit-*`).
    var headers: HTTPFields

    init(status: HTTPResponse.Status, title: String, detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.title = title
        self.detail = detail
        self.headers = headers
    }

    static func unauthorized(_ detail: String) -> APIError {
        APIError(status: .unauthorized, title: "Unauthorized", detail: detail)
    }

    static func forbidden(_ detail: String) -> APIError {
        APIError(status: .forbidden, title: "Forbidden", detail: detail)
    }

    static func badParameter(_ name: String, _ problem: String) -> APIError {
        APIError(status: .badRequest, title: "Bad Request", detail: "parameter '\(name)': \(problem)")
    }

    static func badBody(_ problem: String) -> APIError {
        APIError(status: .badRequest, title: "Bad Request", detail: "request body: \(problem)")
    }

    static func notFound(_ detail: String) -> APIError {
        APIError(status: .notFound, title: "Not Found", detail: detail)
    }

    /// 429 with `Retry-After` in whole seconds.
    static func tooManyRequests(_ detail: String, retryAfterSeconds: Int) -> APIError {
        APIError(status: .tooManyRequests, title: "Too Many Requests", detail: detail,
                 headers: [.retryAfter: String(retryAfterSeconds)])
    }

    /// 500 for failures that are not the caller's (storage errors); the cause goes to the log only.
    static let internalError = APIError(
        status: .internalServerError, title: "Internal Server Error", detail: "the server failed; see its log")

    /// A catalog refusal as the API reports it.
    init(_ error: CatalogError) {
        switch error {
        case .unknownSite(let key): self = .notFound("no site '\(key)' in this account")
        case .unknownTenant, .unknownSink, .unknownAlert: self = .notFound(error.description)
        case .unknownScope, .invalidSiteName, .invalidDomain, .invalidSinkName, .invalidAlertName: self = .badBody(error.description)
        }
    }

    /// A refused site setting: 400 naming the setting and what it accepts.
    init(_ error: SiteConfigError) {
        self = .badBody(error.description)
    }

    /// This error with `extra` headers added.
    func adding(_ extra: HTTPFields) -> APIError {
        var copy = self
        copy.headers.append(contentsOf: extra)
        return copy
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body: [String: any Sendable] = [
            "type": "about:blank", "title": title, "status": Int(status.code), "detail": detail,
            "instance": request.uri.path,
        ]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        var fields = headers
        fields[.contentType] = "application/problem+json"
        if status == .unauthorized { fields[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
