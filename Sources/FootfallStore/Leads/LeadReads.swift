import FootfallCore
import Foundation
import GRDB

/// A page of leads and the cursor of the next page (nil on the last page).
public struct LeadPage: Sendable {
    public var leads: [Lead]
    public var nextCursor: LeadCursor?
}

extension SQLiteEventStore: LeadReader {
    public func leadChanges(tenantID: Int64, siteID: Int64?, after: Int64, limit: Int) async throws -> [Lead] {
        await settleBeforeRead()
        return try await pool.read { db in
            var sql = "SELECT \(LeadRow.readColumns) FROM leads WHERE site_id IN (SELECT site_id FROM lead_sites WHERE tenant_id = ?) AND change_seq > ?"
            var arguments: StatementArguments = [tenantID, after]
            if let siteID {
                sql += " AND site_id = ?"
                arguments += [siteID]
            }
            return try Row.fetchAll(db, sql: sql + " ORDER BY change_seq LIMIT ?", arguments: arguments + [limit])
                .map(LeadRow.lead(from:))
        }
    }

    /// Leads matching `query`, in its order, read from the lead table (never from visits).
    public func leads(_ query: LeadQuery) async throws -> LeadPage {
        let rows = try await leadRows(query)
        return LeadPage(leads: try rows.prefix(query.limit).map { try LeadRow.lead(document: $0.document) }, nextCursor: Self.nextCursor(rows, query))
    }

    /// The same page as ``leads(_:)``, each lead as the Lead API's JSON object (``LeadJSON``),
    /// read as stored: no lead is decoded or encoded.
    public func leadDocuments(_ query: LeadQuery) async throws -> (documents: [String], nextCursor: LeadCursor?) {
        let rows = try await leadRows(query)
        return (rows.prefix(query.limit).map(\.document), Self.nextCursor(rows, query))
    }

    /// The cursor after the page's last row, when ``leadRows(_:)`` found one more than the limit.
    private static func nextCursor(_ rows: [ListedLead], _ query: LeadQuery) -> LeadCursor? {
        guard rows.count > query.limit else { return nil }
        let last = rows[query.limit - 1]
        return LeadCursor(value: query.sort.column == "score" ? Int64(last.score) : last.lastSeen, leadID: last.id)
    }

    /// What a lead list needs of a row: the cursor keys and the stored document. (A value
    /// type, so the read runs on GRDB's reader queue, not on the awaiting task's thread.)
    private struct ListedLead: Sendable {
        let id: String
        let score: Int
        let lastSeen: Int64
        let document: String
    }

    /// Leads matching `query`, in its order, one more than its limit.
    private func leadRows(_ query: LeadQuery) async throws -> [ListedLead] {
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
            add("""
                EXISTS (SELECT 1 FROM json_each(leads.tally, '$.tally.sources') s
                        WHERE lower(substr(s.key, 1, instr(s.key, '/') - 1)) = lower(?)
                           OR lower(substr(s.key, instr(s.key, '/') + 1)) = lower(?))
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
        let finalArguments = arguments + [query.limit + 1]
        await settleBeforeRead()
        return try await pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: finalArguments).map { row in
                ListedLead(id: row["id"], score: row["score"], lastSeen: row["last_seen"], document: row["document"])
            }
        }
    }

    /// The lead with `id` if it belongs to one of `siteIDs` and has visits (else nil: another
    /// tenant's id is not found).
    public func lead(id: String, siteIDs: [Int64]) async throws -> Lead? {
        await settleBeforeRead()
        return try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT \(LeadRow.readColumns) FROM leads WHERE id = ? AND visits > 0", arguments: [id])
                .map(LeadRow.lead(from:))
                .flatMap { siteIDs.contains($0.siteID) ? $0 : nil }
        }
    }

    /// A lead's visits, newest first, from hot rows or columnar segments alike.
    /// - Parameters:
    ///   - lead: the lead (its site bounds the segment search).
    ///   - limit: most visits returned, 1–1000.
    ///   - before: resume after this visit (the previous page's last one).
    public func visits(of lead: Lead, limit: Int, before: VisitCursor? = nil) async throws -> (visits: [Visit], next: VisitCursor?) {
        await settleBeforeRead()
        return try await pool.read { db in
            let cursor = before ?? VisitCursor(startedAt: .max, visitID: .max)
            let rows = try Row.fetchAll(db, sql: """
                SELECT visit_id, started_at FROM lead_visits WHERE lead_id = ? AND (started_at, visit_id) < (?, ?)
                ORDER BY started_at DESC, visit_id DESC LIMIT ?
                """, arguments: [lead.id, cursor.startedAt, cursor.visitID, limit + 1])
            let wanted = rows.prefix(limit).map { (id: $0["visit_id"] as Int64, start: $0["started_at"] as Int64) }
            var found: [Int64: Visit] = [:]
            for visit in try Row.fetchAll(db, sql: """
                SELECT * FROM visits WHERE id IN (\(wanted.map { String($0.id) }.joined(separator: ",")))
                """).map(VisitRow.visit(from:)) {
                found[visit.id] = visit
            }
            // Compacted visits: read the segments covering each one's start time.
            for entry in wanted where found[entry.id] == nil {
                let (candidates, skipped) = try self.visits(
                    db, VisitQuery(siteID: lead.siteID, from: entry.start, to: entry.start + 1, limit: 1000))
                self.report(skipped)
                if let visit = candidates.first(where: { $0.id == entry.id }) { found[visit.id] = visit }
            }
            let visits = wanted.compactMap { found[$0.id] }
            let next = rows.count > limit ? wanted.last.map { VisitCursor(startedAt: $0.start, visitID: $0.id) } : nil
            return (visits, next)
        }
    }
}
