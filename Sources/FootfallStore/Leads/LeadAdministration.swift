import FootfallCore
import Foundation
import GRDB

extension SQLiteEventStore: LeadAdministrator {
    /// Folds the visits committed since the last settle into their leads, in transactions of
    /// at most ``settleStep`` visits, until none is pending.
    /// - Returns: how many visits were folded.
    @discardableResult
    public func settleLeads() async throws -> Int {
        var total = 0
        while true {
            let now = clock()
            let folded = try await pool.write { db in try self.settle(db, now: now, limit: Self.settleStep) }
            total += folded
            if folded < Self.settleStep { return total }
        }
    }

    /// Copies sites' tenants and lead-scoring settings from the catalog into the lead store.
    /// Leads of a site that is new here or whose settings changed are re-scored, and those
    /// that changed (and all leads of a newly registered site) get a new `change_seq`.
    /// - Returns: how many leads got a new `change_seq`.
    @discardableResult
    public func registerLeadSites(_ sites: [Site]) async throws -> Int {
        let now = clock()
        return try await writeSettled { db in
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
    }

    /// Re-scores every lead at the store's clock and gives a new `change_seq` to those whose
    /// recency-decayed score moved by at least `minimumScoreChange` points (the daily rescore).
    /// - Returns: how many leads got a new `change_seq`.
    @discardableResult
    public func rescoreLeads(minimumScoreChange: Int) async throws -> Int {
        let now = clock()
        return try await writeSettled { db in
            try LeadMaintenance.rescore(db, whereSQL: "1", arguments: [], now: now, minimumScoreChange: minimumScoreChange)
        }
    }

    /// Re-derives the leads of `siteIDs` from their stored visits (hot and compacted), in
    /// one transaction; every rebuilt lead gets a new `change_seq`.
    /// - Returns: how many leads the sites have afterwards.
    @discardableResult
    public func rebuildLeads(siteIDs: [Int64]) async throws -> Int {
        let now = clock()
        return try await writeSettled { db in
            var count = 0
            for siteID in siteIDs {
                try db.execute(sql: """
                    DELETE FROM lead_visits WHERE lead_id IN (SELECT id FROM leads WHERE site_id = ?)
                    """, arguments: [siteID])
                try LeadCounts.deleteAll(siteID: siteID, db)
                try db.execute(sql: "DELETE FROM leads WHERE site_id = ?", arguments: [siteID])
                var after: VisitCursor?
                while true {
                    let (visits, skipped) = try self.visits(db, VisitQuery(siteID: siteID, limit: 5_000, after: after))
                    if let problem = skipped.first { throw problem }
                    guard let last = visits.last else { break }
                    try LeadMaintenance.apply(upserted: visits, removed: [], db, now: now)
                    after = VisitCursor(startedAt: last.startedAt, visitID: last.id)
                }
                count += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM leads WHERE site_id = ? AND visits > 0", arguments: [siteID]) ?? 0
            }
            return count
        }
    }

    /// Replaces a tenant's account list (all or nothing) and re-scores the tenant's leads;
    /// leads whose account or score changed get a new `change_seq`.
    /// - Returns: how many leads got a new `change_seq`.
    @discardableResult
    public func replaceAccounts(tenantID: Int64, with accounts: [Account]) async throws -> Int {
        let now = clock()
        return try await writeSettled { db in
            try db.execute(sql: "DELETE FROM accounts WHERE tenant_id = ?", arguments: [tenantID])
            let insert = try db.cachedStatement(sql: AccountRow.insertSQL)
            for account in accounts { try insert.execute(arguments: AccountRow.arguments(account, tenantID: tenantID)) }
            return try LeadMaintenance.rescore(
                db, whereSQL: "site_id IN (SELECT site_id FROM lead_sites WHERE tenant_id = ?)", arguments: [tenantID],
                now: now, minimumScoreChange: nil)
        }
    }

    /// A tenant's accounts, by domain.
    public func accounts(tenantID: Int64) async throws -> [Account] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM accounts WHERE tenant_id = ? ORDER BY domain", arguments: [tenantID])
                .map(AccountRow.account(from:))
        }
    }
}
