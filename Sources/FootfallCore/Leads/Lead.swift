/// An organisation seen on a site: the unit marketers work with.
///
/// Built from visits whose network is a business, education or government organisation;
/// ISPs, mobile carriers, hosting and bots never become leads.
public struct Lead: Sendable, Equatable, Codable {
    public var siteID: Int64
    public var organisation: String
    public var domain: String
    public var networkType: NetworkType
    public var country: String
    /// First and last visit start, milliseconds since the epoch.
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var visits: Int
    public var pageviews: Int
    public var engagedMs: Int64
    /// Distinct paths viewed, most viewed first.
    public var topPages: [String]
}

/// Groups visits into leads by organisation.
public enum LeadAggregator {
    /// Leads for the organisations among `visits`, most visits first.
    public static func leads(from visits: [Visit]) -> [Lead] {
        var byOrganisation: [String: (lead: Lead, pageCounts: [String: Int])] = [:]
        for visit in visits where visit.network.networkType.becomesLead && !visit.network.organisation.isEmpty {
            let key = "\(visit.siteID)\u{0}\(visit.network.organisation)"
            var entry = byOrganisation[key] ?? (
                Lead(siteID: visit.siteID, organisation: visit.network.organisation, domain: visit.network.domain,
                     networkType: visit.network.networkType, country: visit.network.country,
                     firstSeen: visit.startedAt, lastSeen: visit.startedAt, visits: 0, pageviews: 0, engagedMs: 0,
                     topPages: []),
                [:])
            entry.lead.firstSeen = min(entry.lead.firstSeen, visit.startedAt)
            entry.lead.lastSeen = max(entry.lead.lastSeen, visit.startedAt)
            entry.lead.visits += 1
            entry.lead.pageviews += visit.pageviews
            entry.lead.engagedMs += visit.engagedMs
            for page in visit.pages { entry.pageCounts[page.path, default: 0] += 1 }
            byOrganisation[key] = entry
        }
        return byOrganisation.values.map { entry in
            var lead = entry.lead
            lead.topPages = entry.pageCounts.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map(\.key)
            return lead
        }.sorted { ($1.visits, $0.organisation) < ($0.visits, $1.organisation) }
    }
}
