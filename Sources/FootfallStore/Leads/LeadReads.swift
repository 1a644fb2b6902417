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
        return try await pool.read { db in try LeadTables.changes(db, tenantID: tenantID, siteID: siteID, after: after, limit: limit) }
    }

    /// Leads matching `query`, in its order, read from the lead table (never from visits).
    public func leads(_ query: LeadQuery) async throws -> LeadPage {
        await settleBeforeRead()
        return try LeadTables.page(try await pool.read { db in try LeadTables.rows(db, query) }, query)
    }

    /// The same page as ``leads(_:)``, each lead as the Lead API's JSON object (``LeadJSON``),
    /// read as stored: no lead is decoded or encoded.
    public func leadDocuments(_ query: LeadQuery) async throws -> (documents: [String], nextCursor: LeadCursor?) {
        await settleBeforeRead()
        return LeadTables.documents(try await pool.read { db in try LeadTables.rows(db, query) }, query)
    }

    /// The lead with `id` if it belongs to one of `siteIDs` and has visits (else nil: another
    /// tenant's id is not found).
    public func lead(id: String, siteIDs: [Int64]) async throws -> Lead? {
        await settleBeforeRead()
        return try await pool.read { db in try LeadTables.lead(db, id: id, siteIDs: siteIDs) }
    }

    /// A lead's visits, newest first, from hot rows or columnar segments alike.
    /// - Parameters:
    ///   - lead: the lead (its site bounds the segment search).
    ///   - limit: most visits returned, 1–1000.
    ///   - before: resume after this visit (the previous page's last one).
    public func visits(of lead: Lead, limit: Int, before: VisitCursor? = nil) async throws -> (visits: [Visit], next: VisitCursor?) {
        await settleBeforeRead()
        return try await pool.read { db in
            let (wanted, next) = try LeadTables.visitPage(db, leadID: lead.id, limit: limit, before: before)
            var found: [Int64: Visit] = [:]
            for visit in try Row.fetchAll(db, sql: """
                SELECT * FROM visits WHERE id IN (\(wanted.map { String($0.visitID) }.joined(separator: ",")))
                """).map(VisitRow.visit(from:)) {
                found[visit.id] = visit
            }
            // Compacted visits: read the segments covering each one's start time.
            for entry in wanted where found[entry.visitID] == nil {
                let (candidates, skipped) = try self.visits(
                    db, VisitQuery(siteID: lead.siteID, from: entry.startedAt, to: entry.startedAt + 1, limit: 1000))
                self.report(skipped)
                if let visit = candidates.first(where: { $0.id == entry.visitID }) { found[visit.id] = visit }
            }
            return (wanted.compactMap { found[$0.visitID] }, next)
        }
    }
}
