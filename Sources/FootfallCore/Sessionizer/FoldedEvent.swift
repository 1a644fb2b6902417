/// An event as the live ``Sessionizer`` keeps it until its visit is final: only the fields
/// visits are made of. The full URL, screen, language, time zone, click target, custom event
/// and geolocation stay in the event log, so an open visit's events cost the sessionizer
/// about a third less memory (each is held up to ``Sessionizer/Configuration/finalCutoff(now:)``,
/// 95 minutes by default).
struct FoldedEvent: Sendable {
    var id: String
    var siteID: Int64
    var visitorID: VisitorID
    var type: EventType
    /// Server receive time, milliseconds since the epoch.
    var timestamp: Int64
    var path: String
    var referrer: String
    var pageLoadID: String
    var engagedMs: Int64
    var maxScrollPercent: Int
    var userAgent: UserAgentInfo
    var source: TrafficSource
    var network: NetworkInfo

    init(_ event: Event) {
        id = event.id
        siteID = event.siteID
        visitorID = event.visitorID
        type = event.type
        timestamp = event.timestamp
        path = event.path
        referrer = event.referrer
        pageLoadID = event.pageLoadID
        engagedMs = event.engagedMs
        maxScrollPercent = event.maxScrollPercent
        userAgent = event.userAgent
        source = event.source
        network = event.network
    }
}
