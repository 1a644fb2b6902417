/// One event as the tracker sends it, before enrichment.
///
/// Wire keys are short to keep beacons small; see README "Beacon format".
public struct Beacon: Sendable, Equatable {
    public var siteKey: String
    public var type: EventType
    public var id: String
    public var url: String
    public var referrer: String
    public var pageLoadID: String
    public var isSPANavigation: Bool
    public var screen: ScreenSize
    public var language: String
    public var timeZone: String
    public var engagedMs: Int64
    public var maxScrollPercent: Int
    public var clickTarget: String
    public var customName: String
    /// Custom properties re-encoded as a compact JSON object, or empty.
    public var customProps: String
    public var geo: GeoReading?
    /// First-party visitor id, sent only by sites that opted into one.
    public var firstPartyID: String
    /// The browser reported `navigator.webdriver` (automation); a bot signal.
    public var isWebDriver: Bool = false
    /// Wire keys of URL fields that arrived longer than ``URLShortening/maxLength`` and were shortened.
    public var shortenedFields: [String] = []

    public init(
        siteKey: String, type: EventType, id: String, url: String, referrer: String = "",
        pageLoadID: String = "", isSPANavigation: Bool = false, screen: ScreenSize = .unknown,
        language: String = "", timeZone: String = "", engagedMs: Int64 = 0, maxScrollPercent: Int = 0,
        clickTarget: String = "", customName: String = "", customProps: String = "",
        geo: GeoReading? = nil, firstPartyID: String = ""
    ) {
        self.siteKey = siteKey
        self.type = type
        self.id = id
        self.url = url
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
        self.firstPartyID = firstPartyID
    }
}
