/// What alert rules compare between two states of a lead: the state the alert service saw
/// last, and the one the change feed shows now. Times are ms since the Unix epoch.
public struct LeadSnapshot: Sendable, Equatable, Codable {
    public var score: Int
    public var visits: Int
    public var pageviews: Int
    public var lastSeen: Int64
    /// Hits per key-page pattern, as in ``Lead/keyPages``.
    public var keyPages: [String: Int]

    public init(score: Int = 0, visits: Int = 0, pageviews: Int = 0, lastSeen: Int64 = 0, keyPages: [String: Int] = [:]) {
        self.score = score
        self.visits = visits
        self.pageviews = pageviews
        self.lastSeen = lastSeen
        self.keyPages = keyPages
    }

    /// The parts of `lead` that alert rules read.
    public init(_ lead: Lead) {
        self.init(score: lead.score, visits: lead.visits, pageviews: lead.pageviews, lastSeen: lead.lastSeen, keyPages: lead.keyPages)
    }

    /// A lead never seen before: no score, no visits.
    public static let unseen = LeadSnapshot()

    /// Whether the visitor did something since `previous`: a new visit, a new page view or a
    /// later last-seen time. Rescoring and rebuilding leave all three as they were.
    public func hasNewActivity(since previous: LeadSnapshot) -> Bool {
        visits > previous.visits || pageviews > previous.pageviews || lastSeen > previous.lastSeen
    }
}
