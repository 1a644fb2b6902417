import FootfallCore
import GRDB

/// Leads of the ClickHouse backend: the embedded store's lead tables in their own SQLite
/// file (``ClickHouseEventStore/leads``), fed from the visits in ClickHouse.
///
/// Leads grow with organisations, not traffic, so they stay in SQLite beside the catalog,
/// shared by the nodes the same way (one host, or a volume with working POSIX locks), where
/// SQLite's write lock keeps `change_seq` strictly increasing across nodes. Every visit
/// write marks its visits pending first (``LeadPendingVisits/markRemote(_:_:)``); a settle
/// reads their current state from ClickHouse and folds it in, so whichever node settles,
/// leads follow the stored visits.
extension ClickHouseEventStore: LeadReader, LeadAdministrator {
    @discardableResult
    public func settleLeads() async throws -> Int {
        var total = 0
        while true {
            let pending = try await leads.read { db in try LeadPendingVisits.nextRemote(db, limit: LeadPendingVisits.remoteSettleStep) }
            guard !pending.isEmpty else { return total }
            let current = try await currentVisits(pending.map { ($0.siteID, $0.startedAt, $0.visitID) })
            let now = clock()
            total += try await leads.write { db in try LeadPendingVisits.settleRemote(pending, current: current, db, now: now) }
            if pending.count < LeadPendingVisits.remoteSettleStep { return total }
        }
    }

    /// The current state of visits by key (site, start, id); removed ones are absent.
    func currentVisits(_ keys: [(site: Int64, start: Int64, id: Int64)]) async throws -> [Int64: Visit] {
        guard !keys.isEmpty else { return [:] }
        let list = keys.map { "(\($0.site), \($0.start), \($0.id))" }.joined(separator: ", ")
        let starts = keys.map(\.start)
        // The explicit site and start bounds let the primary key narrow what FINAL reads.
        let visits = try ClickHouseRows.decode(Visit.self, try await client.lines("""
            SELECT doc FROM visits FINAL
            WHERE site_id IN \(ClickHouseSQL.integers(Set(keys.map(\.site)).sorted())) AND started_at >= \(starts.min()!) AND started_at <= \(starts.max()!)
              AND deleted = 0 AND (site_id, started_at, id) IN (\(list))
            """))
        return Dictionary(visits.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Settles before a lead read; a failed settle is logged and the read goes on over the
    /// leads as last settled (stale rather than unavailable).
    private func settleBeforeRead() async {
        do {
            try await settleLeads()
        } catch {
            logger.error("folding pending visits into leads failed (leads read as last settled): \(error)")
        }
    }

    public func leadChanges(tenantID: Int64, siteID: Int64?, after: Int64, limit: Int) async throws -> [Lead] {
        await settleBeforeRead()
        return try await leads.read { db in try LeadTables.changes(db, tenantID: tenantID, siteID: siteID, after: after, limit: limit) }
    }

    public func leads(_ query: LeadQuery) async throws -> LeadPage {
        await settleBeforeRead()
        return try LeadTables.page(try await leads.read { db in try LeadTables.rows(db, query) }, query)
    }

    public func leadDocuments(_ query: LeadQuery) async throws -> (documents: [String], nextCursor: LeadCursor?) {
        await settleBeforeRead()
        return LeadTables.documents(try await leads.read { db in try LeadTables.rows(db, query) }, query)
    }

    public func lead(id: String, siteIDs: [Int64]) async throws -> Lead? {
        await settleBeforeRead()
        return try await leads.read { db in try LeadTables.lead(db, id: id, siteIDs: siteIDs) }
    }

    public func visits(of lead: Lead, limit: Int, before: VisitCursor?) async throws -> (visits: [Visit], next: VisitCursor?) {
        await settleBeforeRead()
        let (wanted, next) = try await leads.read { db in try LeadTables.visitPage(db, leadID: lead.id, limit: limit, before: before) }
        let found = try await currentVisits(wanted.map { (lead.siteID, $0.startedAt, $0.visitID) })
        return (wanted.compactMap { found[$0.visitID] }, next)
    }

    public func accounts(tenantID: Int64) async throws -> [Account] {
        try await leads.read { db in try LeadTables.accounts(tenantID: tenantID, db) }
    }

    @discardableResult
    public func registerLeadSites(_ sites: [Site]) async throws -> Int {
        try await settleLeads()
        let now = clock()
        return try await leads.write { db in try LeadTables.register(sites, db, now: now) }
    }

    @discardableResult
    public func rescoreLeads(minimumScoreChange: Int) async throws -> Int {
        try await settleLeads()
        let now = clock()
        return try await leads.write { db in
            try LeadMaintenance.rescore(db, whereSQL: "1", arguments: [], now: now, minimumScoreChange: minimumScoreChange)
        }
    }

    /// Re-derives the leads of `siteIDs` from their visits in ClickHouse, read first (held in
    /// memory), then written in one transaction.
    @discardableResult
    public func rebuildLeads(siteIDs: [Int64]) async throws -> Int {
        try await settleLeads()
        var visitsBySite: [Int64: [Visit]] = [:]
        for siteID in siteIDs {
            var query = VisitQuery(siteID: siteID, limit: 5_000)
            while true {
                let page = try await visits(query)
                visitsBySite[siteID, default: []] += page
                guard page.count == query.limit, let last = page.last else { break }
                query.after = VisitCursor(startedAt: last.startedAt, visitID: last.id)
            }
        }
        let now = clock()
        let stored = visitsBySite
        return try await leads.write { db in
            var count = 0
            for siteID in siteIDs {
                try LeadTables.clear(siteID: siteID, db)
                try LeadMaintenance.apply(upserted: stored[siteID] ?? [], removed: [], db, now: now)
                count += try LeadTables.count(siteID: siteID, db)
            }
            return count
        }
    }

    @discardableResult
    public func replaceAccounts(tenantID: Int64, with accounts: [Account]) async throws -> Int {
        try await settleLeads()
        let now = clock()
        return try await leads.write { db in try LeadTables.replaceAccounts(tenantID: tenantID, with: accounts, db, now: now) }
    }

    /// Folds removed visits out of their leads at once (erasure, retention).
    /// - Returns: the ids of leads left with no visit.
    func foldOut(_ visitIDs: Set<Int64>) async throws -> [String] {
        guard !visitIDs.isEmpty else { return [] }
        let now = clock()
        return try await leads.write { db in try LeadMaintenance.apply(upserted: [], removed: visitIDs, db, now: now) }
    }
}
