import FootfallCore
import HTTPTypes
import NIOCore

/// Why a beacon request was refused. Mapped to a status and a one-line reason in one place.
enum IngestError: Error, Equatable {
    case invalidBeacon(BeaconError)
    case unsupportedContentType(String)
    case bodyTooLarge
    case unknownSite(String)
    case mixedSites
    /// A flood limit (``FloodLimits``) refused the request; retry after that many seconds.
    case tooManyRequests(retryAfter: Int)
    case overloaded
    case unavailable

    var status: HTTPResponse.Status {
        switch self {
        case .invalidBeacon, .mixedSites: .badRequest
        case .unsupportedContentType: .unsupportedMediaType
        case .bodyTooLarge: .contentTooLarge
        case .unknownSite: .notFound
        case .tooManyRequests: .tooManyRequests
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
        case .tooManyRequests: "too many beacons from this address or for this site, retry later"
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
        case .tooManyRequests: "too_many_requests"
        case .overloaded: "overloaded"
        case .unavailable: "unavailable"
        }
    }

    /// Seconds the client should wait before retrying, for 429 and 503.
    var retryAfter: Int? {
        switch self {
        case .tooManyRequests(let seconds): seconds
        case .overloaded, .unavailable: 1
        default: nil
        }
    }

    /// Plain-text reply; 429 and 503 carry `Retry-After`.
    var reply: BeaconReply {
        var headers: HTTPFields = [.contentType: "text/plain; charset=utf-8", .accessControlAllowOrigin: "*"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return BeaconReply(status: status, headers: headers, body: ByteBuffer(string: reason + "\n"))
    }
}
