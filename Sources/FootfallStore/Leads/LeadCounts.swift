import FootfallCore
import GRDB

/// A lead's visitors and pages as rows of `lead_counts` (lead, kind, key → count). Both grow
/// with the lead — every visitor id, every path — so they are never part of its stored
/// tally: a transaction writes only the rows of the visitors and pages its visits touched,
/// and a lead's top pages are read from an index in count order.
enum LeadCounts {
    enum Kind: Int {
        /// Visits per visitor id (decimal text).
        case visitor = 0
        /// Page views per path.
        case page = 1
    }

    static let schema = """
        CREATE TABLE lead_counts (
            lead_id TEXT NOT NULL, kind INTEGER NOT NULL, key TEXT NOT NULL, count INTEGER NOT NULL,
            PRIMARY KEY (lead_id, kind, key)
        ) WITHOUT ROWID;
        CREATE INDEX lead_pages_by_count ON lead_counts (lead_id, count DESC, key) WHERE kind = 1;
        """

    /// Adds `amount` (may be negative) to a row's count; a row left at 0 is deleted.
    /// - Returns: 1 when the row appeared, -1 when it went, else 0.
    /// - Throws: `SQLITE_CORRUPT` when a count would go below 0 (a visit folded out that was
    ///   never folded in); SQLite errors.
    static func add(_ amount: Int, leadID: String, kind: Kind, key: String, _ db: Database) throws -> Int {
        guard amount != 0 else { return 0 }
        let count = try Int.fetchOne(db.cachedStatement(sql: """
            INSERT INTO lead_counts (lead_id, kind, key, count) VALUES (?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET count = count + excluded.count RETURNING count
            """), arguments: [leadID, kind.rawValue, key, amount]) ?? 0
        if count < 0 {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "lead \(leadID): \(kind) count below 0")
        }
        if count == 0 {
            try db.cachedStatement(sql: "DELETE FROM lead_counts WHERE lead_id = ? AND kind = ? AND key = ?")
                .execute(arguments: [leadID, kind.rawValue, key])
            return -1
        }
        return count == amount ? 1 : 0
    }

    /// The lead's ``LeadTally/topPageCount`` most viewed paths, most first, ties by path.
    static func topPages(leadID: String, _ db: Database) throws -> [LeadCount] {
        // `kind = 1` spelled out so the partial index serves the order.
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT key, count FROM lead_counts WHERE lead_id = ? AND kind = 1 ORDER BY count DESC, key LIMIT ?
            """), arguments: [leadID, LeadTally.topPageCount])
            .map { LeadCount(name: $0["key"], count: $0["count"]) }
    }

    /// Every path of the lead with its page views.
    static func pages(leadID: String, _ db: Database) throws -> [(path: String, count: Int)] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT key, count FROM lead_counts WHERE lead_id = ? AND kind = 1"),
                         arguments: [leadID])
            .map { ($0["key"], $0["count"]) }
    }

    /// Deletes the rows of every lead of a site (before its leads are rebuilt).
    static func deleteAll(siteID: Int64, _ db: Database) throws {
        try db.execute(
            sql: "DELETE FROM lead_counts WHERE lead_id IN (SELECT id FROM leads WHERE site_id = ?)", arguments: [siteID])
    }
}
