/// Makes the contexts of the sessionizer's events from interned parts, so each distinct
/// User-Agent classification, traffic source and network is held once for all visitors.
///
/// A context held whole was 288 bytes of heap, and a visitor who goes past its landing page
/// holds two (the landing source, then the internal one), most of it the same browser and
/// network. Interned, a context is 48 bytes, and the parts are shared: a browser build by
/// everyone using it, the internal source by every visitor of the site, a network by the
/// visitors behind one stored (truncated) address.
struct ContextInterner: Sendable {
    private var userAgents = InternTable<UserAgentInfo>()
    private var sources = InternTable<TrafficSource>()
    private var networks = InternTable<NetworkInfo>()

    /// A new context for what `event` says, from shared parts.
    mutating func context(for event: Event) -> EventContext {
        EventContext(
            userAgent: userAgents.interned(event.userAgent), source: sources.interned(event.source),
            network: networks.interned(event.network))
    }

    /// Forgets the parts no context holds any more.
    mutating func releaseUnused() {
        userAgents.releaseUnused()
        sources.releaseUnused()
        networks.releaseUnused()
    }

    /// Number of distinct parts held.
    var count: Int { userAgents.count + sources.count + networks.count }
}
