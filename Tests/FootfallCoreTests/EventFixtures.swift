import FootfallCore

/// Builds events for sessionizer and store tests.
enum EventFixtures {
    static let base: Int64 = 1_700_000_000_000
    static let minute: Int64 = 60_000

    static func pageview(
        _ id: String, at minutes: Double, path: String, visitor: VisitorID = 42, site: Int64 = 1,
        source: TrafficSource = .direct, pageLoad: String? = nil
    ) -> Event {
        Event(
            id: id, siteID: site, visitorID: visitor, type: .pageview, timestamp: base + Int64(minutes * Double(minute)),
            url: "https://acme.com" + path, path: path, pageLoadID: pageLoad ?? "pl-" + id, source: source)
    }

    static func engagement(_ id: String, at minutes: Double, pageLoad: String, engagedMs: Int64, scroll: Int, visitor: VisitorID = 42) -> Event {
        Event(
            id: id, siteID: 1, visitorID: visitor, type: .engagement, timestamp: base + Int64(minutes * Double(minute)),
            url: "https://acme.com/", path: "/", pageLoadID: pageLoad, engagedMs: engagedMs, maxScrollPercent: scroll)
    }
}
