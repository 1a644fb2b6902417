import FootfallCore
import Foundation
import GRDB

/// Keeps leads in step with visits inside the transaction that writes the visits: the one
/// seam between the visit commit and the lead store.
///
/// Each changed visit folds its old contribution out of its lead (from `lead_visits`) and
/// its new one in; only the leads touched are re-scored, and each gets a new `change_seq`.
/// Nothing is ever recomputed from all of a lead's visits, and a lead's visitors and pages
/// are written row by row (``LeadCounts``): the work of a commit grows with what its
/// visits changed, not with the size of the leads they belong to.
struct LeadMaintenance {
    let db: Database
    /// When scores are taken (recency decay) and `updated_at`, ms since the epoch.
    let now: Int64
    private var touched: [String: (identity: LeadIdentity, stored: StoredTally)] = [:]
    private var sites: [Int64: LeadSite?] = [:]

    init(_ db: Database, now: Int64) {
        self.db = db
        self.now = now
    }

    /// Folds the sessionizer's visit changes into their leads and writes the touched leads.
    /// - Returns: ids of the touched leads left with no visit (tombstones), sorted.
    @discardableResult
    static func apply(upserted: [Visit], removed: Set<Int64>, _ db: Database, now: Int64) throws -> [String] {
        var maintenance = LeadMaintenance(db, now: now)
        for id in removed { try maintenance.foldOut(visitID: id) }
        for visit in upserted { try maintenance.foldIn(visit) }
        try maintenance.writeTouched()
        return maintenance.touched.filter { $0.value.stored.tally.isEmpty }.keys.sorted()
    }

    /// Folds a visit's current state into its lead, after folding its previous state out;
    /// a visit that no longer belongs to any lead loses its `lead_visits` row.
    mutating func foldIn(_ visit: Visit) throws {
        let hadRow = try foldOut(visitID: visit.id, keepingRow: true)
        guard let identity = LeadIdentity(visit: visit) else {
            if hadRow { try deleteRow(visitID: visit.id) }
            return
        }
        let contribution = VisitContribution(visit: visit)
        try load(identity.leadID, identity: identity)
        touched[identity.leadID]!.stored.tally.fold(contribution, sign: 1)
        try db.cachedStatement(sql: """
            INSERT INTO lead_visits (visit_id, lead_id, started_at, ended_at, contribution) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (visit_id) DO UPDATE SET lead_id = excluded.lead_id, started_at = excluded.started_at,
                ended_at = excluded.ended_at, contribution = excluded.contribution
            """).execute(arguments: [visit.id, identity.leadID, visit.startedAt, visit.endedAt, LeadRow.contributionValue(contribution)])
    }

    /// Folds a visit's stored contribution out of its lead.
    /// - Parameter keepingRow: leave its `lead_visits` row for the caller to overwrite.
    /// - Returns: whether the visit had a row (had been folded into a lead).
    @discardableResult
    mutating func foldOut(visitID: Int64, keepingRow: Bool = false) throws -> Bool {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT lead_id, contribution FROM lead_visits WHERE visit_id = ?"), arguments: [visitID])
        else { return false }
        let leadID: String = row["lead_id"]
        let contribution = try LeadRow.contribution(row["contribution"])
        try load(leadID, identity: nil)
        touched[leadID]?.stored.tally.fold(contribution, sign: -1)
        if !keepingRow { try deleteRow(visitID: visitID) }
        return true
    }

    private func deleteRow(visitID: Int64) throws {
        try db.cachedStatement(sql: "DELETE FROM lead_visits WHERE visit_id = ?").execute(arguments: [visitID])
    }

    /// Brings a lead's stored tally into `touched` (or an empty one for a new lead).
    private mutating func load(_ leadID: String, identity: LeadIdentity?) throws {
        guard touched[leadID] == nil else { return }
        if let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT site_id, org_key, tally FROM leads WHERE id = ?"), arguments: [leadID]) {
            let stored = LeadIdentity(siteID: row["site_id"], organisationKey: row["org_key"])
            touched[leadID] = (stored, try LeadRow.storedTally(from: row))
        } else if let identity {
            touched[leadID] = (identity, StoredTally())
        }
    }

    private mutating func writeTouched() throws {
        guard !touched.isEmpty else { return }
        var changeSeq = try LeadRow.reserveChangeSeqs(touched.count, db)
        for (_, entry) in touched.sorted(by: { $0.key < $1.key }) {
            var stored = entry.stored
            var lead = try build(entry.identity, &stored)
            lead.changeSeq = changeSeq
            changeSeq += 1
            try db.cachedStatement(sql: LeadRow.upsertSQL)
                .execute(arguments: LeadRow.arguments(lead, identity: entry.identity, tally: stored))
        }
    }

    /// The lead of a stored tally as it stands now: its pending visitor and page changes
    /// written first (``StoredTally/flush(leadID:settings:_:)``), bounds from `lead_visits`,
    /// top pages from ``LeadCounts``, the site's settings, the tenant's account for the domain.
    mutating func build(_ identity: LeadIdentity, _ stored: inout StoredTally) throws -> Lead {
        let bounds = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT (SELECT MIN(started_at) FROM lead_visits WHERE lead_id = ?1),
                   (SELECT MAX(ended_at) FROM lead_visits WHERE lead_id = ?1)
            """), arguments: [identity.leadID])!
        let leadSite = try site(identity.siteID)
        let settings = leadSite?.settings ?? LeadSettings()
        try stored.flush(leadID: identity.leadID, settings: settings, db)
        var account: Account?
        if let leadSite { account = try Self.account(db, tenantID: leadSite.tenantID, domain: identity.domain) }
        return stored.tally.lead(
            identity: identity, firstSeen: bounds[0] ?? 0, lastSeen: bounds[1] ?? 0, visitors: stored.visitorCount,
            topPages: try LeadCounts.topPages(leadID: identity.leadID, db), keyPages: stored.keyPages,
            account: account, settings: settings, now: now)
    }

    private mutating func site(_ siteID: Int64) throws -> LeadSite? {
        if let cached = sites[siteID] { return cached }
        let site = try LeadSite.fetch(db, siteID: siteID)
        sites[siteID] = site
        return site
    }

    static func account(_ db: Database, tenantID: Int64, domain: String) throws -> Account? {
        guard !domain.isEmpty else { return nil }
        return try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM accounts WHERE tenant_id = ? AND domain = ?"),
            arguments: [tenantID, domain]
        ).map(AccountRow.account(from:))
    }

    /// Re-scores stored leads at `now` and gives a new `change_seq` to those that changed:
    /// any visible change when `minimumScoreChange` is nil, else a score moved by at least that.
    /// - Returns: how many leads got a new `change_seq`.
    static func rescore(_ db: Database, whereSQL: String, arguments: StatementArguments, now: Int64, minimumScoreChange: Int?) throws -> Int {
        var maintenance = LeadMaintenance(db, now: now)
        var bumped = 0
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM leads WHERE \(whereSQL) ORDER BY id", arguments: arguments)
        for row in rows {
            let old = try LeadRow.lead(from: row)
            let identity = LeadIdentity(siteID: row["site_id"], organisationKey: row["org_key"])
            var stored = try LeadRow.storedTally(from: row)
            var lead = try maintenance.build(identity, &stored)
            let changed = if let minimumScoreChange {
                abs(lead.score - old.score) >= minimumScoreChange
            } else {
                lead.withoutChangeStamp != old.withoutChangeStamp
            }
            guard changed else { continue }
            lead.changeSeq = try LeadRow.reserveChangeSeqs(1, db)
            try db.cachedStatement(sql: LeadRow.upsertSQL).execute(arguments: LeadRow.arguments(lead, identity: identity, tally: stored))
            bumped += 1
        }
        return bumped
    }
}

extension Lead {
    /// The lead without `updatedAt` and `changeSeq`: what consumers would see change.
    var withoutChangeStamp: Lead {
        var lead = self
        lead.updatedAt = 0
        lead.changeSeq = 0
        return lead
    }
}
