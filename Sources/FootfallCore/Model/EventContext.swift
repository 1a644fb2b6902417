/// The User-Agent, traffic source and network an event was sent with: one object that a
/// visitor's events in the live sessionizer and the visits they start share. Its three parts
/// are ``Interned`` objects that the sessionizer shares across visitors
/// (``Interner``): one browser build, one referrer or one office network is held
/// once, however many visitors came with it. Immutable: changing a visit's network replaces
/// its context.
final class EventContext: Sendable, Equatable {
    let sharedUserAgent: Interned<UserAgentInfo>
    let sharedSource: Interned<TrafficSource>
    let sharedNetwork: Interned<NetworkInfo>

    var userAgent: UserAgentInfo { sharedUserAgent.value }
    var source: TrafficSource { sharedSource.value }
    var network: NetworkInfo { sharedNetwork.value }

    init(userAgent: Interned<UserAgentInfo>, source: Interned<TrafficSource>, network: Interned<NetworkInfo>) {
        sharedUserAgent = userAgent
        sharedSource = source
        sharedNetwork = network
    }

    /// A context whose parts are shared with nothing else.
    convenience init(userAgent: UserAgentInfo, source: TrafficSource, network: NetworkInfo) {
        self.init(userAgent: Interned(userAgent), source: Interned(source), network: Interned(network))
    }

    /// Whether this context says what `event` says, so the event can share it.
    func matches(_ event: Event) -> Bool {
        userAgent == event.userAgent && source == event.source && network == event.network
    }

    static func == (lhs: EventContext, rhs: EventContext) -> Bool {
        lhs === rhs
            || ((lhs.sharedUserAgent === rhs.sharedUserAgent || lhs.userAgent == rhs.userAgent)
                && (lhs.sharedSource === rhs.sharedSource || lhs.source == rhs.source)
                && (lhs.sharedNetwork === rhs.sharedNetwork || lhs.network == rhs.network))
    }
}
