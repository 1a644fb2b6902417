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
    public var source: TrafficSource
    public var userAgent: UserAgentInfo
    public var network: NetworkInfo

    public init(
        id: Int64, siteID: Int64, visitorID: VisitorID, startedAt: Int64, endedAt: Int64,
        pages: [VisitPage] = [], engagedMs: Int64 = 0, maxScrollPercent: Int = 0, clicks: Int = 0,
        customEvents: Int = 0, referrer: String = "", source: TrafficSource = .direct,
        userAgent: UserAgentInfo = .unknown, network: NetworkInfo = .unknown
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
        self.source = source
        self.userAgent = userAgent
        self.network = network
    }

    public var pageviews: Int { pages.count }
    public var entryPage: String { pages.first?.path ?? "" }
    public var exitPage: String { pages.last?.path ?? "" }
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
