/// The running totals of one lead, kept so that a visit can be folded in and folded out
/// again exactly (a re-derived visit replaces its old version: fold out the old, fold in
/// the new). Everything is a count or a multiset of counts, so folding is order-independent.
///
/// First and last seen are not kept here (a minimum cannot be un-folded); whoever holds
/// the contributions supplies them (the lead store from its index, ``LeadAccumulator`` from memory).
public struct LeadTally: Sendable, Equatable, Codable {
    public var visits = 0
    public var pageviews = 0
    public var engagedMs: Int64 = 0
    /// Visits per visitor id (decimal text).
    public var visitors: [String: Int] = [:]
    /// Visits per UTC day number (decimal text).
    public var days: [String: Int] = [:]
    /// Page views per path.
    public var pages: [String: Int] = [:]
    /// Visits per `medium/source`.
    public var sources: [String: Int] = [:]
    /// Visits per non-empty UTM campaign.
    public var campaigns: [String: Int] = [:]
    /// Visits per organisation name, ASN, network type, `country|region|city` and match source:
    /// the lead shows the most common of each.
    public var names: [String: Int] = [:]
    public var asns: [String: Int] = [:]
    public var networkTypes: [String: Int] = [:]
    public var places: [String: Int] = [:]
    public var matchSources: [String: Int] = [:]

    public init() {}

    /// Adds (`sign` = 1) or removes (`sign` = -1) one visit's contribution.
    public mutating func fold(_ visit: VisitContribution, sign: Int) {
        visits += sign
        pageviews += sign * visit.paths.count
        engagedMs += Int64(sign) * visit.engagedMs
        Self.add(String(visit.visitorID), sign, to: &visitors)
        Self.add(String(visit.day), sign, to: &days)
        for path in visit.paths { Self.add(path, sign, to: &pages) }
        Self.add(visit.source, sign, to: &sources)
        if !visit.campaign.isEmpty { Self.add(visit.campaign, sign, to: &campaigns) }
        let network = visit.network
        Self.add(network.organisation, sign, to: &names)
        Self.add(String(network.asn), sign, to: &asns)
        Self.add(network.networkType.rawValue, sign, to: &networkTypes)
        Self.add("\(network.country)|\(network.region)|\(network.city)", sign, to: &places)
        Self.add(network.matchSource.rawValue, sign, to: &matchSources)
    }

    /// Whether no visit is left in the tally.
    public var isEmpty: Bool { visits == 0 }

    /// Adds `amount` (may be negative) to `key`'s count; a count left at 0 is removed.
    static func add(_ key: String, _ amount: Int, to counts: inout [String: Int]) {
        let count = counts[key, default: 0] + amount
        counts[key] = count == 0 ? nil : count
    }

    /// Entries by count, most first, ties by name (so live and rebuilt leads agree).
    static func ranked(_ counts: [String: Int], limit: Int = .max) -> [LeadCount] {
        counts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(limit).map { LeadCount(name: $0.key, count: $0.value) }
    }

    static func mostCommon(_ counts: [String: Int]) -> String {
        ranked(counts, limit: 1).first?.name ?? ""
    }
}
