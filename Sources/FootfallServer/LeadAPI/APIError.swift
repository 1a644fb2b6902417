import Foundation
import Hummingbird

/// Every Lead API failure, rendered as RFC 9457 `application/problem+json` in one place.
struct APIError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let title: String
    let detail: String

    static func unauthorized(_ detail: String) -> APIError {
        APIError(status: .unauthorized, title: "Unauthorized", detail: detail)
    }

    static func forbidden(_ detail: String) -> APIError {
        APIError(status: .forbidden, title: "Forbidden", detail: detail)
    }

    static func badParameter(_ name: String, _ problem: String) -> APIError {
        APIError(status: .badRequest, title: "Bad Request", detail: "parameter '\(name)': \(problem)")
    }

    static func notFound(_ detail: String) -> APIError {
        APIError(status: .notFound, title: "Not Found", detail: detail)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body: [String: any Sendable] = [
            "type": "about:blank", "title": title, "status": Int(status.code), "detail": detail,
            "instance": request.uri.path,
        ]
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
