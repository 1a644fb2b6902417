import FootfallCore
import Hummingbird

/// Why a beacon request was refused. Mapped to a status and a one-line reason in one place.
enum IngestError: Error, Equatable {
    case invalidBeacon(BeaconError)
    case unsupportedContentType(String)
    case bodyTooLarge
    case unknownSite(String)
    case mixedSites
    case overloaded
    case unavailable

    var status: HTTPResponse.Status {
        switch self {
        case .invalidBeacon, .mixedSites: .badRequest
        case .unsupportedContentType: .unsupportedMediaType
        case .bodyTooLarge: .contentTooLarge
        case .unknownSite: .notFound
        case .overloaded, .unavailable: .serviceUnavailable
        }
    }

    var reason: String {
        switch self {
        case .invalidBeacon(let error): error.reason
        case .unsupportedContentType(let type): "unsupported content type '\(type)': send text/plain or application/json"
        case .bodyTooLarge: "body larger than \(BeaconParser.maxBodyBytes) bytes"
        case .unknownSite(let key): "unknown site key '\(key)'"
        case .mixedSites: "all events of a batch must carry the same site key"
        case .overloaded: "ingest queue full, retry later"
        case .unavailable: "storage unavailable, retry later"
        }
    }

    /// Low-cardinality label for `footfall_beacons_rejected_total`.
    var metricLabel: String {
        switch self {
        case .invalidBeacon(let error): error.metricLabel
        case .unsupportedContentType: "unsupported_content_type"
        case .bodyTooLarge: "body_too_large"
        case .unknownSite: "unknown_site"
        case .mixedSites: "mixed_sites"
        case .overloaded: "overloaded"
        case .unavailable: "unavailable"
        }
    }

    /// Plain-text response; overload answers carry `Retry-After`.
    var response: Response {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8", .accessControlAllowOrigin: "*"]
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: .init(string: reason + "\n")))
    }
}
