import FootfallCore

/// Selects leads for `GET /api/v1/leads` and the dashboard: filters, order and a keyset cursor.
public struct LeadQuery: Sendable, Equatable {
    /// The sites to read (the caller's allowed sites, or one of them); never empty.
    public var siteIDs: [Int64]
    /// Inclusive lower / exclusive upper bound on `last_seen`, ms since the epoch.
    public var from: Int64 = .min
    public var to: Int64 = .max
    /// Leads scoring at least this (0–100).
    public var minScore: Int?
    public var networkType: NetworkType?
    /// ISO 3166-1 alpha-2 country code.
    public var country: String?
    /// Leads with a page view matching this pattern.
    public var page: PathPattern?
    /// Leads with a visit from this medium (`search`) or source (`Google`), case-insensitive.
    public var source: String?
    public var targetAccount: Bool?
    /// Account industry and tier (exact match).
    public var industry: String?
    public var tier: String?
    public var sort: LeadSort = .scoreDescending
    /// 1–1000.
    public var limit: Int = 100
    /// Resume after this position (from the previous page's `next_cursor`).
    public var after: LeadCursor?

    public init(siteIDs: [Int64]) {
        self.siteIDs = siteIDs
    }
}

/// The order of a lead list: `score`, `-score`, `last_seen`, `-last_seen` (`-` = descending).
public enum LeadSort: String, Sendable, CaseIterable {
    case scoreDescending = "-score", scoreAscending = "score"
    case lastSeenDescending = "-last_seen", lastSeenAscending = "last_seen"

    var column: String {
        switch self {
        case .scoreDescending, .scoreAscending: "score"
        case .lastSeenDescending, .lastSeenAscending: "last_seen"
        }
    }

    var isDescending: Bool { self == .scoreDescending || self == .lastSeenDescending }
}

/// Position in a sorted lead list: the last lead's sort value and id.
public struct LeadCursor: Sendable, Equatable {
    public var value: Int64
    public var leadID: String

    public init(value: Int64, leadID: String) {
        self.value = value
        self.leadID = leadID
    }

    /// Opaque text form used in API responses: `<value>.<lead id>`.
    public var token: String { "\(value).\(leadID)" }

    /// Parses ``token``; nil when malformed.
    public init?(token: String) {
        guard let dot = token.firstIndex(of: "."), let value = Int64(token[..<dot]) else { return nil }
        let id = String(token[token.index(after: dot)...])
        guard id.hasPrefix("ld_"), id.count <= 40 else { return nil }
        self.init(value: value, leadID: id)
    }
}
