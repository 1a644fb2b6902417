/// Folds a stream of events into visits.
///
/// Events of one visitor on one site form a visit until ``Configuration/inactivityMs`` pass
/// without an event, or a page view arrives with a different campaign or external source.
/// Engagement and click beacons join the page view with the same page load id. The state
/// is the set of open visits; the caller persists every visit ``fold(_:)`` returns.
public struct Sessionizer: Sendable {
    /// Sessionizing rules.
    public struct Configuration: Sendable, Equatable {
        /// Inactivity that ends a visit, milliseconds (default 30 minutes).
        public var inactivityMs: Int64

        public init(inactivityMs: Int64 = 30 * 60 * 1000) {
            self.inactivityMs = inactivityMs
        }
    }

    struct VisitorKey: Hashable, Sendable {
        var siteID: Int64
        var visitorID: VisitorID
    }

    public let configuration: Configuration
    private var open: [VisitorKey: Visit] = [:]

    /// Creates a sessionizer that continues the given open visits.
    public init(configuration: Configuration = .init(), openVisits: [Visit] = []) {
        self.configuration = configuration
        for visit in openVisits {
            open[VisitorKey(siteID: visit.siteID, visitorID: visit.visitorID)] = visit
        }
    }

    /// Number of visits currently open.
    public var openVisitCount: Int { open.count }

    /// Folds one event into its visit and returns that visit as it now stands.
    public mutating func fold(_ event: Event) -> Visit {
        let key = VisitorKey(siteID: event.siteID, visitorID: event.visitorID)
        if var visit = open[key], belongs(event, to: visit) {
            Self.apply(event, to: &visit)
            open[key] = visit
            return visit
        }
        var visit = Visit(
            id: Self.visitID(siteID: event.siteID, firstEventID: event.id), siteID: event.siteID,
            visitorID: event.visitorID, startedAt: event.timestamp, endedAt: event.timestamp,
            referrer: event.referrer, source: event.source, userAgent: event.userAgent, network: event.network)
        Self.apply(event, to: &visit)
        if let current = open[key], current.endedAt > event.timestamp {
            return visit  // a late event that starts an older visit; keep the newer one open
        }
        open[key] = visit
        return visit
    }

    /// Closes and returns the visits idle for longer than the inactivity timeout at `now`.
    public mutating func closeIdle(now: Int64) -> [Visit] {
        let cutoff = now - configuration.inactivityMs
        let idle = open.filter { $0.value.endedAt < cutoff }
        for key in idle.keys { open[key] = nil }
        return Array(idle.values)
    }

    /// Derives visits from a complete set of events, as live sessionizing would in time order.
    public static func visits(from events: [Event], configuration: Configuration = .init()) -> [Visit] {
        var sessionizer = Sessionizer(configuration: configuration)
        var byID: [Int64: Visit] = [:]
        var order: [Int64] = []
        for event in events.sorted(by: { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }) {
            let visit = sessionizer.fold(event)
            if byID.updateValue(visit, forKey: visit.id) == nil { order.append(visit.id) }
        }
        return order.compactMap { byID[$0] }
    }

    func belongs(_ event: Event, to visit: Visit) -> Bool {
        let timeout = configuration.inactivityMs
        guard event.timestamp <= visit.endedAt + timeout, event.timestamp >= visit.startedAt - timeout else {
            return false
        }
        guard event.type == .pageview, event.timestamp > visit.startedAt else { return true }
        let arrival = event.source
        if !arrival.campaign.isEmpty && arrival.campaign != visit.source.campaign { return false }
        let external = arrival.medium != .internal && arrival.medium != .direct
        return !(external && arrival != visit.source)
    }

    static func apply(_ event: Event, to visit: inout Visit) {
        visit.startedAt = min(visit.startedAt, event.timestamp)
        visit.endedAt = max(visit.endedAt, event.timestamp)
        switch event.type {
        case .pageview:
            let page = VisitPage(path: event.path, viewedAt: event.timestamp, pageLoadID: event.pageLoadID)
            let index = visit.pages.firstIndex { $0.viewedAt > event.timestamp } ?? visit.pages.endIndex
            visit.pages.insert(page, at: index)
        case .engagement:
            let engaged = event.engagedMs
            if let index = visit.pages.lastIndex(where: { !event.pageLoadID.isEmpty && $0.pageLoadID == event.pageLoadID }) {
                let previous = visit.pages[index].engagedMs
                visit.pages[index].engagedMs = max(previous, engaged)
                visit.pages[index].maxScrollPercent = max(visit.pages[index].maxScrollPercent, event.maxScrollPercent)
                visit.engagedMs += max(0, engaged - previous)
            } else {
                visit.engagedMs += engaged
            }
            visit.maxScrollPercent = max(visit.maxScrollPercent, event.maxScrollPercent)
        case .click:
            visit.clicks += 1
        case .custom:
            visit.customEvents += 1
        case .geo:
            break
        }
    }

    /// A stable visit id: FNV-1a over the site id and the visit's first event id.
    static func visitID(siteID: Int64, firstEventID: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        withUnsafeBytes(of: siteID.littleEndian) { bytes in
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        }
        for byte in firstEventID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: hash & 0x7fff_ffff_ffff_ffff)
    }
}
