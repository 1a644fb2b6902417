import FootfallCore
import GRDB

/// Reads and writes of the lead tables (`leads`, `lead_visits`, `lead_counts`, `lead_sites`,
/// `accounts`) that do not depend on where visits are stored: shared by the embedded
/// backend (lead tables beside its visits) and the ClickHouse backend (lead tables in their
/// own SQLite file). Each runs inside the caller's GRDB read or write.
enum LeadTables {
    /// What a lead list needs of a row: the cursor keys and the stored document. (A value
    /// type, so the read runs on GRDB's reader queue, not on the awaiting task's thread.)
    struct ListedLead: Sendable {
        let id: String
        let score: Int
        let lastSeen: Int64
        let document: String
    }

    /// A lead's visit on its visit list: the keys that find it in the visit store.
    struct ListedVisit: Sendable {
        let visitID: Int64
        let startedAt: Int64
    }

    /// Leads of `tenantID` (optionally one site) changed after `after`, in `change_seq` order.
    static func changes(_ db: Database, tenantID: Int64, siteID: Int64?, after: Int64, limit: Int) throws -> [Lead] {
        var sql = "SELECT \(LeadRow.readColumns) FROM leads WHERE site_id IN (SELECT site_id FROM lead_sites WHERE tenant_id = ?) AND change_seq > ?"
        var arguments: StatementArguments = [tenantID, after]
        if let siteID {
            sql += " AND site_id = ?"
            arguments += [siteID]
        }
        return try Row.fetchAll(db, sql: sql + " ORDER BY change_seq LIMIT ?", arguments: arguments + [limit])
            .map(LeadRow.lead(from:))
    }

    /// The page of leads ``rows(_:_:)`` found, decoded.
    static func page(_ rows: [ListedLead], _ query: LeadQuery) throws -> LeadPage {
        LeadPage(leads: try rows.prefix(query.limit).map { try LeadRow.lead(document: $0.document) }, nextCursor: nextCursor(rows, query))
    }

    /// The page of leads ``rows(_:_:)`` found, as stored JSON documents.
    static func documents(_ rows: [ListedLead], _ query: LeadQuery) -> (documents: [String], nextCursor: LeadCursor?) {
        (rows.prefix(query.limit).map(\.document), nextCursor(rows, query))
    }

    /// The cursor after the page's last row, when ``rows(_:_:)`` found one more than the limit.
    private static func nextCursor(_ rows: [ListedLead], _ query: LeadQuery) -> LeadCursor? {
        guard rows.count > query.limit else { return nil }
        let last = rows[query.limit - 1]
        return LeadCursor(value: query.sort.column == "score" ? Int64(last.score) : last.lastSeen, leadID: last.id)
    }

    /// Leads matching `query`, in its order, one more than its limit.
    static func rows(_ db: Database, _ query: LeadQuery) throws -> [ListedLead] {
        precondition(!query.siteIDs.isEmpty && (1...1000).contains(query.limit))
        // One site is an equality, so the (site_id, score|last_seen, id) index gives the order.
        let siteCondition = query.siteIDs.count == 1
            ? "site_id = ?" : "site_id IN (\(query.siteIDs.map { _ in "?" }.joined(separator: ",")))"
        var conditions = [siteCondition, "visits > 0"]
        var arguments = StatementArguments(query.siteIDs)
        func add(_ condition: String, _ values: [any DatabaseValueConvertible]) {
            conditions.append(condition)
            arguments += StatementArguments(values)
        }
        if query.from != .min { add("last_seen >= ?", [query.from]) }
        if query.to != .max { add("last_seen < ?", [query.to]) }
        if let minScore = query.minScore { add("score >= ?", [minScore]) }
        if let type = query.networkType { add("network_type = ?", [type.rawValue]) }
        if let country = query.country { add("country = ? COLLATE NOCASE", [country]) }
        if let target = query.targetAccount { add("target_account = ?", [target]) }
        if let industry = query.industry { add("industry = ? COLLATE NOCASE", [industry]) }
        if let tier = query.tier { add("tier = ?", [tier]) }
        if let page = query.page {
            // PathPattern's `*` is GLOB's `*`; it cannot contain `?`, and `[` is escaped.
            let glob = page.text.replacingOccurrences(of: "[", with: "[[]")
            add("EXISTS (SELECT 1 FROM lead_counts p WHERE p.lead_id = leads.id AND p.kind = 1 AND p.key GLOB ?)", [glob])
        }
        if let source = query.source {
            // The lead document lists every `medium/source` of its visits (``Lead/sources``).
            add("""
                EXISTS (SELECT 1 FROM (SELECT json_extract(value, '$.name') AS name FROM json_each(leads.document, '$.sources')) s
                        WHERE lower(substr(s.name, 1, instr(s.name, '/') - 1)) = lower(?)
                           OR lower(substr(s.name, instr(s.name, '/') + 1)) = lower(?))
                """, [source, source])
        }
        let column = query.sort.column
        let direction = query.sort.isDescending ? "DESC" : "ASC"
        if let after = query.after {
            add("(\(column), id) \(query.sort.isDescending ? "<" : ">") (?, ?)", [after.value, after.leadID])
        }
        // The page's ids first (sorting only keys when an index cannot give the order), then
        // their columns: never a sort of every matching lead's document.
        let sql = """
            SELECT \(LeadRow.readColumns) FROM leads WHERE id IN (
                SELECT id FROM leads WHERE \(conditions.joined(separator: " AND "))
                ORDER BY \(column) \(direction), id \(direction) LIMIT ?)
            ORDER BY \(column) \(direction), id \(direction)
            """
        return try Row.fetchAll(db, sql: sql, arguments: arguments + [query.limit + 1]).map { row in
            ListedLead(id: row["id"], score: row["score"], lastSeen: row["last_seen"], document: row["document"])
        }
    }

    /// The lead with `id` if it belongs to one of `siteIDs` and has visits.
    static func lead(_ db: Database, id: String, siteIDs: [Int64]) throws -> Lead? {
        try Row.fetchOne(db, sql: "SELECT \(LeadRow.readColumns) FROM leads WHERE id = ? AND visits > 0", arguments: [id])
            .map(LeadRow.lead(from:))
            .flatMap { siteIDs.contains($0.siteID) ? $0 : nil }
    }

    /// A page of a lead's visits, newest first (start time, then id), and the cursor of the
    /// next page (nil on the last).
    static func visitPage(_ db: Database, leadID: String, limit: Int, before: VisitCursor?) throws -> ([ListedVisit], VisitCursor?) {
        let cursor = before ?? VisitCursor(startedAt: .max, visitID: .max)
        let rows = try Row.fetchAll(db, sql: """
            SELECT visit_id, started_at FROM lead_visits WHERE lead_id = ? AND (started_at, visit_id) < (?, ?)
            ORDER BY started_at DESC, visit_id DESC LIMIT ?
            """, arguments: [leadID, cursor.startedAt, cursor.visitID, limit + 1])
        let wanted = rows.prefix(limit).map { ListedVisit(visitID: $0["visit_id"], startedAt: $0["started_at"]) }
        let next = rows.count > limit ? wanted.last.map { VisitCursor(startedAt: $0.startedAt, visitID: $0.visitID) } : nil
        return (wanted, next)
    }

    /// Copies sites' tenants and lead settings into `lead_sites`; leads of a site new here or
    /// whose settings changed are re-scored (all of a new site's leads get a `change_seq`).
    /// - Returns: how many leads got a new `change_seq`.
    static func register(_ sites: [Site], _ db: Database, now: Int64) throws -> Int {
        var bumped = 0
        for site in sites {
            let settings = try LeadRow.json(site.leads)
            let stored = try Row.fetchOne(db, sql: "SELECT tenant_id, settings FROM lead_sites WHERE site_id = ?", arguments: [site.id])
            if let stored, stored["tenant_id"] as Int64 == site.tenantID, stored["settings"] as String == settings { continue }
            try db.execute(
                sql: "INSERT OR REPLACE INTO lead_sites (site_id, tenant_id, settings) VALUES (?, ?, ?)",
                arguments: [site.id, site.tenantID, settings])
            // A site new to the feed: its leads' earlier change_seq values were not in the
            // tenant's feed yet, so all of them are announced again.
            bumped += try LeadMaintenance.rescore(
                db, whereSQL: "site_id = ?", arguments: [site.id], now: now,
                minimumScoreChange: stored == nil ? 0 : nil)
        }
        return bumped
    }

    /// Replaces a tenant's accounts and re-scores its leads.
    /// - Returns: how many leads got a new `change_seq`.
    static func replaceAccounts(tenantID: Int64, with accounts: [Account], _ db: Database, now: Int64) throws -> Int {
        try db.execute(sql: "DELETE FROM accounts WHERE tenant_id = ?", arguments: [tenantID])
        let insert = try db.cachedStatement(sql: AccountRow.insertSQL)
        for account in accounts { try insert.execute(arguments: AccountRow.arguments(account, tenantID: tenantID)) }
        return try LeadMaintenance.rescore(
            db, whereSQL: "site_id IN (SELECT site_id FROM lead_sites WHERE tenant_id = ?)", arguments: [tenantID],
            now: now, minimumScoreChange: nil)
    }

    /// A tenant's accounts, by domain.
    static func accounts(tenantID: Int64, _ db: Database) throws -> [Account] {
        try Row.fetchAll(db, sql: "SELECT * FROM accounts WHERE tenant_id = ? ORDER BY domain", arguments: [tenantID])
            .map(AccountRow.account(from:))
    }

    /// Deletes a site's leads and what they hold, before a rebuild.
    static func clear(siteID: Int64, _ db: Database) throws {
        try db.execute(sql: """
            DELETE FROM lead_visits WHERE lead_id IN (SELECT id FROM leads WHERE site_id = ?)
            """, arguments: [siteID])
        try LeadCounts.deleteAll(siteID: siteID, db)
        try db.execute(sql: "DELETE FROM leads WHERE site_id = ?", arguments: [siteID])
    }

    /// How many leads with visits a site has.
    static func count(siteID: Int64, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leads WHERE site_id = ? AND visits > 0", arguments: [siteID]) ?? 0
    }
}
