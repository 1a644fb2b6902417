/// An organisation seen on a site: the unit marketers work with.
///
/// One lead per (site, organisation); the organisation is identified by its registrable
/// domain when known, else by its name and ASN. Built from visits whose network is a
/// business, education or government organisation; ISPs, mobile carriers, hosting and bots
/// never become leads. Times are milliseconds since the Unix epoch.
public struct Lead: Sendable, Equatable, Codable {
    /// Stable opaque id, `ld_` + 16 lowercase hex digits derived from site and organisation key.
    public var id: String
    public var siteID: Int64
    public var organisation: String
    /// Registrable domain, empty when the IP data did not name one.
    public var domain: String
    public var asn: Int
    public var networkType: NetworkType
    /// ISO 3166-1 alpha-2, empty when unknown; region and city only when the IP data has them.
    public var country: String
    public var region: String
    public var city: String
    /// Which IP-intelligence layer named the organisation, and how far to trust it.
    public var matchSource: LeadMatchSource
    public var confidence: LeadConfidence
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var visits: Int
    /// A lead with no visits left (erased, expired or re-derived elsewhere): the change feed
    /// announces it once more with score 0 so consumers remove it; lists and lookups skip it.
    public var isTombstone: Bool { visits == 0 }
    /// Distinct visitor ids among the visits.
    public var visitors: Int
    /// Visits on distinct UTC days after the day of the first visit.
    public var returningVisits: Int
    public var pageviews: Int
    public var engagedMs: Int64
    /// Hits per configured key-page pattern (e.g. `/pricing*` → 3), only patterns hit.
    public var keyPages: [String: Int]
    /// Most viewed paths, most first (at most 10).
    public var topPages: [LeadCount]
    /// Visits per `medium/source` (e.g. `search/Google`), most first.
    public var sources: [LeadCount]
    /// Visits per UTM campaign, most first.
    public var campaigns: [LeadCount]
    /// The marketer's own record of this organisation, when its domain is a known account.
    public var account: Account?
    /// Current score, 0–100 (recency-decayed at `updatedAt`).
    public var score: Int
    /// Signals and their points; the points sum exactly to `score`.
    public var scoreExplanation: [ScoreContribution]
    public var updatedAt: Int64
    /// Per-tenant, strictly increasing sequence of the lead's latest change.
    public var changeSeq: Int64

    /// Whether the organisation is in the tenant's account list.
    public var targetAccount: Bool { account != nil }

    public init(
        id: String, siteID: Int64, organisation: String, domain: String = "", asn: Int = 0,
        networkType: NetworkType, country: String = "", region: String = "", city: String = "",
        matchSource: LeadMatchSource = .unknown, confidence: LeadConfidence = .low,
        firstSeen: Int64, lastSeen: Int64, visits: Int = 0, visitors: Int = 0, returningVisits: Int = 0,
        pageviews: Int = 0, engagedMs: Int64 = 0, keyPages: [String: Int] = [:], topPages: [LeadCount] = [],
        sources: [LeadCount] = [], campaigns: [LeadCount] = [], account: Account? = nil, score: Int = 0,
        scoreExplanation: [ScoreContribution] = [], updatedAt: Int64 = 0, changeSeq: Int64 = 0
    ) {
        self.id = id
        self.siteID = siteID
        self.organisation = organisation
        self.domain = domain
        self.asn = asn
        self.networkType = networkType
        self.country = country
        self.region = region
        self.city = city
        self.matchSource = matchSource
        self.confidence = confidence
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.visits = visits
        self.visitors = visitors
        self.returningVisits = returningVisits
        self.pageviews = pageviews
        self.engagedMs = engagedMs
        self.keyPages = keyPages
        self.topPages = topPages
        self.sources = sources
        self.campaigns = campaigns
        self.account = account
        self.score = score
        self.scoreExplanation = scoreExplanation
        self.updatedAt = updatedAt
        self.changeSeq = changeSeq
    }
}

/// A name with a count: a page and its views, a source and its visits.
public struct LeadCount: Sendable, Equatable, Codable {
    public var name: String
    public var count: Int

    public init(name: String, count: Int) {
        self.name = name
        self.count = count
    }
}

/// One line of a score's explanation. `points` may be negative (cold pages, decay).
public struct ScoreContribution: Sendable, Equatable, Codable {
    /// Signal name, e.g. `visits`, `returning_visits`, `key_page:/pricing*`, `fit:tier`, `recency`.
    public var signal: String
    /// The observed value in human-readable form, e.g. `3`, `4m 12s`, `tier 1`.
    public var value: String
    public var points: Int

    public init(signal: String, value: String, points: Int) {
        self.signal = signal
        self.value = value
        self.points = points
    }
}

/// An organisation the marketer already knows (account-based marketing), imported by
/// `footfall accounts import` or the API and matched to leads by domain.
public struct Account: Sendable, Equatable, Codable {
    public var domain: String
    public var name: String
    public var industry: String
    /// Employee count, 0 when unknown.
    public var employees: Int
    /// Account owner (a salesperson's name or e-mail), as the marketer wrote it.
    public var owner: String
    /// Marketer's tier, e.g. `1`, `2`, `3` (1 = most wanted); empty when none.
    public var tier: String

    public init(domain: String, name: String, industry: String = "", employees: Int = 0, owner: String = "", tier: String = "") {
        self.domain = domain
        self.name = name
        self.industry = industry
        self.employees = employees
        self.owner = owner
        self.tier = tier
    }
}

/// The IP-intelligence layer that named a lead's organisation.
public enum LeadMatchSource: String, Sendable, Codable, CaseIterable {
    case customRange = "custom_range", mmdb, rangeFile = "range_file", reverseDNS = "reverse_dns", unknown

    /// A tenant's own ranges are certain, a commercial database likely, rDNS a guess.
    public var confidence: LeadConfidence {
        switch self {
        case .customRange: .high
        case .mmdb, .rangeFile: .medium
        case .reverseDNS, .unknown: .low
        }
    }
}

/// How far an organisation match can be trusted.
public enum LeadConfidence: String, Sendable, Codable, CaseIterable {
    case high, medium, low
}
