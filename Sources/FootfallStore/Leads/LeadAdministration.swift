import FootfallCore
import Foundation
import GRDB

extension SQLiteEventStore: LeadAdministrator {
    /// Folds the visits committed since the last settle into their leads, in transactions of
    /// at most ``LeadPendingVisits/settleStep`` visits, until none is pending.
    /// - Returns: how many visits were folded.
    @discardableResult
    public func settleLeads() async throws -> Int {
        var total = 0
        while true {
            let now = clock()
            let folded = try await pool.write { db in try self.settle(db, now: now, limit: LeadPendingVisits.settleStep) }
            total += folded
            if folded < LeadPendingVisits.settleStep { return total }
        }
    }

    /// Copies sites' tenants and lead-scoring settings from the catalog into the lead store.
    /// Leads of a site that is new here or whose settings changed are re-scored, and those
    /// that changed (and all leads of a newly registered site) get a new `change_seq`.
    /// - Returns: how many leads got a new `change_seq`.
    @discardableResult
    public func registerLeadSites(_ sites: [Site]) async throws -> Int {
        let now = clock()
        return try await writeSettled { db in try LeadTables.register(sites, db, now: now) }
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
                try LeadTables.clear(siteID: siteID, db)
                var after: VisitCursor?
                while true {
                    let (visits, skipped) = try self.visits(db, VisitQuery(siteID: siteID, limit: 5_000, after: after))
                    if let problem = skipped.first { throw problem }
                    guard let last = visits.last else { break }
                    try LeadMaintenance.apply(upserted: visits, removed: [], db, now: now)
                    after = VisitCursor(startedAt: last.startedAt, visitID: last.id)
                }
                count += try LeadTables.count(siteID: siteID, db)
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
        return try await writeSettled { db in try LeadTables.replaceAccounts(tenantID: tenantID, with: accounts, db, now: now) }
    }

    /// A tenant's accounts, by domain.
    public func accounts(tenantID: Int64) async throws -> [Account] {
        try await pool.read { db in try LeadTables.accounts(tenantID: tenantID, db) }
    }
}
