/// The User-Agent, traffic source and network an event was sent with: one object that a
/// visitor's events in the live sessionizer and the visits they start share, as they are most
/// of a visit's size (264 bytes inline). Immutable: changing a visit's network replaces
/// its context.
final class EventContext: Sendable, Equatable {
    let userAgent: UserAgentInfo
    let source: TrafficSource
    let network: NetworkInfo

    init(userAgent: UserAgentInfo, source: TrafficSource, network: NetworkInfo) {
        self.userAgent = userAgent
        self.source = source
        self.network = network
    }

    /// Whether this context says what `event` says, so the event can share it.
    func matches(_ event: Event) -> Bool {
        userAgent == event.userAgent && source == event.source && network == event.network
    }

    static func == (lhs: EventContext, rhs: EventContext) -> Bool {
        lhs === rhs || (lhs.userAgent == rhs.userAgent && lhs.source == rhs.source && lhs.network == rhs.network)
    }
}
