import Hummingbird
import NIOCore

/// Per-request context: the peer address (for IP enrichment) and, on `/api/v1`, the
/// caller's ``Access``.
public struct FootfallRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by ``AccessMiddleware`` on authenticated routes.
    public var access: Access?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        access = nil
    }
}
