/// Leads of a stream of visit changes, in memory: the sessionizer's upserts and removals
/// folded into one ``LeadTally`` per organisation. A re-derived visit (same id) replaces its
/// old version, so the result depends only on the final visits, not on their order.
public struct LeadAccumulator: Sendable {
    struct Entry: Sendable {
        var identity: LeadIdentity
        var contribution: VisitContribution
    }

    private var entries: [Int64: Entry] = [:]
    private var tallies: [LeadIdentity: LeadTally] = [:]

    public init() {}

    /// Folds in `upserted` visits (replacing their old versions) and folds out `removed` ones.
    public mutating func apply(upserted: [Visit], removed: Set<Int64> = []) {
        for id in removed { foldOut(id) }
        for visit in upserted {
            foldOut(visit.id)
            guard let identity = LeadIdentity(visit: visit) else { continue }
            let contribution = VisitContribution(visit: visit)
            entries[visit.id] = Entry(identity: identity, contribution: contribution)
            tallies[identity, default: LeadTally()].fold(contribution, sign: 1)
        }
    }

    private mutating func foldOut(_ visitID: Int64) {
        guard let old = entries.removeValue(forKey: visitID) else { return }
        tallies[old.identity]?.fold(old.contribution, sign: -1)
        if tallies[old.identity]?.isEmpty == true { tallies[old.identity] = nil }
    }

    /// The current leads scored at `now`, best first (ties by id, descending, as the lead store lists them).
    /// - Parameters:
    ///   - settings: scoring settings of a site id.
    ///   - account: the account record of a domain, if any.
    public func leads(
        settings: (Int64) -> LeadSettings = { _ in LeadSettings() }, account: (String) -> Account? = { _ in nil }, now: Int64
    ) -> [Lead] {
        var bounds: [LeadIdentity: (Int64, Int64)] = [:]
        for entry in entries.values {
            let old = bounds[entry.identity] ?? (.max, .min)
            bounds[entry.identity] = (min(old.0, entry.contribution.startedAt), max(old.1, entry.contribution.endedAt))
        }
        return tallies.map { identity, tally in
            let (first, last) = bounds[identity]!
            return tally.lead(
                identity: identity, firstSeen: first, lastSeen: last, account: identity.domain.isEmpty ? nil : account(identity.domain),
                settings: settings(identity.siteID), now: now)
        }.sorted { ($1.score, $1.id) < ($0.score, $0.id) }
    }
}
