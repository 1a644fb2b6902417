/// What one visit adds to its lead: the facts a ``LeadTally`` folds in, and folds out
/// again when the sessionizer re-derives or removes the visit.
public struct VisitContribution: Sendable, Equatable, Codable {
    public var visitID: Int64
    public var visitorID: VisitorID
    /// Visit start and end, milliseconds since the epoch.
    public var startedAt: Int64
    public var endedAt: Int64
    /// Paths of the visit's page views, in order (repeats kept).
    public var paths: [String]
    public var engagedMs: Int64
    /// `medium/source` (e.g. `search/Google`, `direct/`).
    public var source: String
    /// UTM campaign, empty when none.
    public var campaign: String
    public var network: NetworkInfo

    public init(
        visitID: Int64, visitorID: VisitorID, startedAt: Int64, endedAt: Int64, paths: [String],
        engagedMs: Int64, source: String, campaign: String, network: NetworkInfo
    ) {
        self.visitID = visitID
        self.visitorID = visitorID
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.paths = paths
        self.engagedMs = engagedMs
        self.source = source
        self.campaign = campaign
        self.network = network
    }

    public init(visit: Visit) {
        visitID = visit.id
        visitorID = visit.visitorID
        startedAt = visit.startedAt
        endedAt = visit.endedAt
        paths = visit.pages.map(\.path)
        engagedMs = visit.engagedMs
        source = "\(visit.source.medium.rawValue)/\(visit.source.source)"
        campaign = visit.source.campaign
        var network = visit.network
        network.storedIP = ""
        self.network = network
    }

    /// UTC day number of the visit start (days since the epoch).
    public var day: Int64 { startedAt / Timestamp.msPerDay }
}
