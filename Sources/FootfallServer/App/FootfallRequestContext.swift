import FootfallStore
import Hummingbird
import NIOCore

/// Per-request context: the peer address (for IP enrichment) and, on `/api`, the
/// authenticated API key.
public struct FootfallRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by ``APIKeyAuthenticator`` on authenticated routes.
    public var apiKey: APIKey?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        apiKey = nil
    }
}
