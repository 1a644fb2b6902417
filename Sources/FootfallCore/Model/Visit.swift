/// A visit: one visitor's events on one site without a 30-minute gap (by default),
/// a new campaign or a new external referrer.
public struct Visit: Sendable, Equatable, Codable {
    /// Stable id derived from the site and the visit's first event id.
    public var id: Int64
    public var siteID: Int64
    public var visitorID: VisitorID
    /// First and last event times, milliseconds since the epoch.
    public var startedAt: Int64
    public var endedAt: Int64
    /// Page views in time order.
    public var pages: [VisitPage]
    public var engagedMs: Int64
    public var maxScrollPercent: Int
    public var clicks: Int
    public var customEvents: Int
    public var referrer: String
    /// The first event's traffic source, User-Agent and network, held once and shared with
    /// the events the live sessionizer keeps: a visit is 104 bytes inline instead of 360.
    var context: EventContext
    public var source: TrafficSource {
        get { context.source }
        set { context = EventContext(userAgent: context.userAgent, source: newValue, network: context.network) }
    }
    public var userAgent: UserAgentInfo {
        get { context.userAgent }
        set { context = EventContext(userAgent: newValue, source: context.source, network: context.network) }
    }
    public var network: NetworkInfo {
        get { context.network }
        set { context = EventContext(userAgent: context.userAgent, source: context.source, network: newValue) }
    }

    public init(
        id: Int64, siteID: Int64, visitorID: VisitorID, startedAt: Int64, endedAt: Int64,
        pages: [VisitPage] = [], engagedMs: Int64 = 0, maxScrollPercent: Int = 0, clicks: Int = 0,
        customEvents: Int = 0, referrer: String = "", source: TrafficSource = .direct,
        userAgent: UserAgentInfo = .unknown, network: NetworkInfo = .unknown
    ) {
        self.init(
            id: id, siteID: siteID, visitorID: visitorID, startedAt: startedAt, endedAt: endedAt, pages: pages,
            engagedMs: engagedMs, maxScrollPercent: maxScrollPercent, clicks: clicks, customEvents: customEvents,
            referrer: referrer, context: EventContext(userAgent: userAgent, source: source, network: network))
    }

    init(
        id: Int64, siteID: Int64, visitorID: VisitorID, startedAt: Int64, endedAt: Int64,
        pages: [VisitPage] = [], engagedMs: Int64 = 0, maxScrollPercent: Int = 0, clicks: Int = 0,
        customEvents: Int = 0, referrer: String, context: EventContext
    ) {
        self.id = id
        self.siteID = siteID
        self.visitorID = visitorID
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.pages = pages
        self.engagedMs = engagedMs
        self.maxScrollPercent = maxScrollPercent
        self.clicks = clicks
        self.customEvents = customEvents
        self.referrer = referrer
        self.context = context
    }

    public var pageviews: Int { pages.count }
    public var entryPage: String { pages.first?.path ?? "" }
    public var exitPage: String { pages.last?.path ?? "" }

    /// The keys synthesized `Codable` used before the context was shared: ClickHouse rows and
    /// data exports hold visits in this JSON shape.
    enum CodingKeys: String, CodingKey {
        case id, siteID, visitorID, startedAt, endedAt, pages, engagedMs, maxScrollPercent, clicks, customEvents
        case referrer, source, userAgent, network
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(Int64.self, forKey: .id), siteID: try c.decode(Int64.self, forKey: .siteID),
            visitorID: try c.decode(VisitorID.self, forKey: .visitorID),
            startedAt: try c.decode(Int64.self, forKey: .startedAt), endedAt: try c.decode(Int64.self, forKey: .endedAt),
            pages: try c.decode([VisitPage].self, forKey: .pages), engagedMs: try c.decode(Int64.self, forKey: .engagedMs),
            maxScrollPercent: try c.decode(Int.self, forKey: .maxScrollPercent), clicks: try c.decode(Int.self, forKey: .clicks),
            customEvents: try c.decode(Int.self, forKey: .customEvents), referrer: try c.decode(String.self, forKey: .referrer),
            source: try c.decode(TrafficSource.self, forKey: .source),
            userAgent: try c.decode(UserAgentInfo.self, forKey: .userAgent),
            network: try c.decode(NetworkInfo.self, forKey: .network))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(siteID, forKey: .siteID)
        try c.encode(visitorID, forKey: .visitorID)
        try c.encode(startedAt, forKey: .startedAt)
        try c.encode(endedAt, forKey: .endedAt)
        try c.encode(pages, forKey: .pages)
        try c.encode(engagedMs, forKey: .engagedMs)
        try c.encode(maxScrollPercent, forKey: .maxScrollPercent)
        try c.encode(clicks, forKey: .clicks)
        try c.encode(customEvents, forKey: .customEvents)
        try c.encode(referrer, forKey: .referrer)
        try c.encode(source, forKey: .source)
        try c.encode(userAgent, forKey: .userAgent)
        try c.encode(network, forKey: .network)
    }
}

/// One page view inside a visit.
public struct VisitPage: Sendable, Equatable, Codable {
    public var path: String
    /// When the page was viewed, milliseconds since the epoch.
    public var viewedAt: Int64
    /// The page load id that joins later engagement beacons to this view.
    public var pageLoadID: String
    /// Engaged time reported for this page, milliseconds.
    public var engagedMs: Int64
    public var maxScrollPercent: Int

    public init(path: String, viewedAt: Int64, pageLoadID: String, engagedMs: Int64 = 0, maxScrollPercent: Int = 0) {
        self.path = path
        self.viewedAt = viewedAt
        self.pageLoadID = pageLoadID
        self.engagedMs = engagedMs
        self.maxScrollPercent = maxScrollPercent
    }
}
