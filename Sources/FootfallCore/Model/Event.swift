/// One enriched event as stored in the event log.
///
/// Timestamps are milliseconds since the Unix epoch, as received by the server.
/// Nothing in an event identifies a person: the visitor id is a salted daily hash,
/// and the IP is kept only in the form the site's ``IPPolicy`` allows.
public struct Event: Sendable, Equatable, Codable {
    /// Client-generated id; a site never stores the same id twice.
    public var id: String
    public var siteID: Int64
    public var visitorID: VisitorID
    public var type: EventType
    /// Server receive time, milliseconds since the epoch.
    public var timestamp: Int64
    /// Full page URL as sent by the tracker (query string kept for UTM parsing).
    public var url: String
    /// Path of ``url``, the unit pages are counted by.
    public var path: String
    public var referrer: String
    /// Id of the page load this event belongs to; joins engagement and clicks to their view.
    public var pageLoadID: String
    public var isSPANavigation: Bool
    public var screen: ScreenSize
    public var language: String
    public var timeZone: String
    public var engagedMs: Int64
    public var maxScrollPercent: Int
    public var clickTarget: String
    public var customName: String
    /// Custom event properties as a JSON object text, or empty.
    public var customProps: String
    public var geo: GeoReading?
    public var userAgent: UserAgentInfo
    public var source: TrafficSource
    public var network: NetworkInfo

    public init(
        id: String, siteID: Int64, visitorID: VisitorID, type: EventType, timestamp: Int64,
        url: String, path: String, referrer: String = "", pageLoadID: String = "",
        isSPANavigation: Bool = false, screen: ScreenSize = .unknown, language: String = "",
        timeZone: String = "", engagedMs: Int64 = 0, maxScrollPercent: Int = 0,
        clickTarget: String = "", customName: String = "", customProps: String = "",
        geo: GeoReading? = nil, userAgent: UserAgentInfo = .unknown,
        source: TrafficSource = .direct, network: NetworkInfo = .unknown
    ) {
        self.id = id
        self.siteID = siteID
        self.visitorID = visitorID
        self.type = type
        self.timestamp = timestamp
        self.url = url
        self.path = path
        self.referrer = referrer
        self.pageLoadID = pageLoadID
        self.isSPANavigation = isSPANavigation
        self.screen = screen
        self.language = language
        self.timeZone = timeZone
        self.engagedMs = engagedMs
        self.maxScrollPercent = maxScrollPercent
        self.clickTarget = clickTarget
        self.customName = customName
        self.customProps = customProps
        self.geo = geo
        self.userAgent = userAgent
        self.source = source
        self.network = network
    }
}

/// Screen and viewport dimensions in CSS pixels; zero when unknown.
public struct ScreenSize: Sendable, Equatable, Codable {
    public var width: Int
    public var height: Int
    public var viewportWidth: Int
    public var viewportHeight: Int

    public static let unknown = ScreenSize(width: 0, height: 0, viewportWidth: 0, viewportHeight: 0)

    public init(width: Int, height: Int, viewportWidth: Int, viewportHeight: Int) {
        self.width = width
        self.height = height
        self.viewportWidth = viewportWidth
        self.viewportHeight = viewportHeight
    }
}

/// A location the visitor explicitly consented to share through the tracker.
public struct GeoReading: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double
    /// Accuracy radius in metres as reported by the browser.
    public var accuracy: Double

    public init(latitude: Double, longitude: Double, accuracy: Double) {
        self.latitude = latitude
        self.longitude = longitude
        self.accuracy = accuracy
    }
}

/// What the IP address says about the network a visit came from.
public struct NetworkInfo: Sendable, Hashable, Codable {
    /// Organisation name, empty when unknown.
    public var organisation: String
    /// Registrable domain of the organisation, empty when unknown.
    public var domain: String
    public var asn: Int
    public var networkType: NetworkType
    /// ISO 3166-1 alpha-2 country code, empty when unknown.
    public var country: String
    /// Region (e.g. ISO 3166-2 subdivision name) and city, empty unless the IP data has them.
    public var region: String
    public var city: String
    /// Which IP-intelligence layer named the organisation.
    public var matchSource: LeadMatchSource
    /// The IP as kept under the site's policy (truncated, hashed) or empty when dropped.
    public var storedIP: String

    public static let unknown = NetworkInfo(
        organisation: "", domain: "", asn: 0, networkType: .unknown, country: "", storedIP: "")

    public init(
        organisation: String, domain: String, asn: Int, networkType: NetworkType,
        country: String, storedIP: String, region: String = "", city: String = "",
        matchSource: LeadMatchSource = .unknown
    ) {
        self.organisation = organisation
        self.domain = domain
        self.asn = asn
        self.networkType = networkType
        self.country = country
        self.storedIP = storedIP
        self.region = region
        self.city = city
        self.matchSource = matchSource
    }
}

/// The kind of network an IP belongs to; only business, education and government become leads.
public enum NetworkType: String, Codable, Sendable, CaseIterable {
    case isp, mobile, hosting, education, government, business, unknown

    /// Whether visits from this kind of network are attributed to an organisation lead.
    public var becomesLead: Bool {
        self == .business || self == .education || self == .government
    }
}
