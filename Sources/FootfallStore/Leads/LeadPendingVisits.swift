import FootfallCore
import GRDB

/// Visits whose latest change is committed but not yet folded into their leads: the queue
/// between the visit commit and lead maintenance (`lead_pending_visits`, events v9).
///
/// The visit commit only records each visit it upserted or removed here (one row per visit,
/// however often it changes); ``settle(_:limit:now:known:)`` later folds them into their
/// leads in transactions of its own. A visit changed by many commits is folded once per
/// settle, and a lead touched by many is re-built, re-scored and given a new `change_seq`
/// once per settle transaction, off the commit that acknowledges events. The rows are
/// written in the visit commit, so a crash between the two loses nothing: the next settle
/// folds them in.
enum LeadPendingVisits {
    static let schema = "CREATE TABLE lead_pending_visits (visit_id INTEGER PRIMARY KEY)"

    /// Most visits one settle transaction of the embedded store folds: appends queued behind
    /// a settle wait for one step, not for everything ingest committed since the last one. A
    /// visit takes roughly 0.1 ms to fold, so a step holds the writer for a few ms; 256 (about
    /// 30 ms) measured p50/p99 9.5/36.6 ms at half of the maximum ingest rate against
    /// 6.7/30–32 ms for 32, with the same maximum rate (`make bench ingest`).
    static let settleStep = 32

    /// Most visits one settle of the ClickHouse backend folds (``nextRemote(_:limit:)``): each
    /// step is one `FINAL` read of their current state from ClickHouse (outside any
    /// transaction) plus one `leads.sqlite` transaction that appends' pending marks wait
    /// behind. It stays at 256, the step the backend's figures (`make bench clickhouse`) were
    /// measured with: a smaller one multiplies the `FINAL` reads and was not measured there.
    static let remoteSettleStep = 256

    /// Records visits the current transaction upserted or removed.
    static func mark<IDs: Sequence<Int64>>(_ visitIDs: IDs, _ db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO lead_pending_visits (visit_id) VALUES (?)")
        for id in visitIDs { try insert.execute(arguments: [id]) }
    }

    /// Folds pending visits into their leads, the lowest ids first: a visit still in `visits`
    /// is folded in as it now stands, one that is gone (merged into another by the
    /// sessionizer) is folded out. Must run (with no limit) in any transaction that deletes
    /// or moves hot visits before it does, so a pending visit is never mistaken for a
    /// removed one.
    /// - Parameters:
    ///   - limit: most visits folded; the rest stay pending.
    ///   - now: when scores are taken and stamped, ms since the epoch.
    ///   - known: given the ids about to be folded, the committed state of those the caller
    ///     holds in memory; the others are read from `visits` (decoding a visit's pages is the
    ///     costly part).
    /// - Returns: how many visits were folded (fewer than `limit` once none is left).
    /// - Throws: SQLite errors; the transaction then rolls back and the visits stay pending.
    @discardableResult
    static func settle(_ db: Database, limit: Int, now: Int64, known: ([Int64]) -> [Int64: Visit]) throws -> Int {
        let pending = try Int64.fetchAll(
            db, sql: "SELECT visit_id FROM lead_pending_visits ORDER BY visit_id LIMIT ?", arguments: [limit])
        guard let last = pending.last else { return 0 }
        let cached = known(pending)
        let read = try db.cachedStatement(sql: "SELECT * FROM visits WHERE id = ?")
        var current: [Visit] = []
        var removed: Set<Int64> = []
        for id in pending {
            if let visit = cached[id] {
                current.append(visit)
            } else if let row = try Row.fetchOne(read, arguments: [id]) {
                current.append(try VisitRow.visit(from: row))
            } else {
                removed.insert(id)
            }
        }
        try LeadMaintenance.apply(upserted: current, removed: removed, db, now: now)
        // The ids read are exactly those up to the last one.
        try db.execute(sql: "DELETE FROM lead_pending_visits WHERE visit_id <= ?", arguments: [last])
        return pending.count
    }

    /// Columns (events v10) for visits kept outside this database (the ClickHouse backend):
    /// the visit's key there, and how often it was marked, so a settle that read a visit
    /// before a newer write of it does not clear the newer mark.
    static let remoteColumns = """
        ALTER TABLE lead_pending_visits ADD COLUMN marked INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE lead_pending_visits ADD COLUMN site_id INTEGER;
        ALTER TABLE lead_pending_visits ADD COLUMN started_at INTEGER;
        """

    /// A visit of a remote store waiting to be folded: its key there and its mark count.
    struct RemoteVisit: Sendable, Equatable {
        var visitID: Int64
        var siteID: Int64
        var startedAt: Int64
        var marked: Int64
    }

    /// Records visits written to a remote store (upserted or removed); the writer marks them
    /// before and after its write. A visit already pending is marked once more, so a settle
    /// that read its state before the latest write does not clear it.
    static func markRemote(_ visits: [Visit], _ db: Database) throws {
        let mark = try db.cachedStatement(sql: """
            INSERT INTO lead_pending_visits (visit_id, marked, site_id, started_at) VALUES (?, 1, ?, ?)
            ON CONFLICT (visit_id) DO UPDATE SET marked = marked + 1
            """)
        for visit in visits { try mark.execute(arguments: [visit.id, visit.siteID, visit.startedAt]) }
    }

    /// The next pending remote visits, lowest ids first, at most `limit`.
    static func nextRemote(_ db: Database, limit: Int) throws -> [RemoteVisit] {
        try Row.fetchAll(db, sql: """
            SELECT visit_id, site_id, started_at, marked FROM lead_pending_visits WHERE site_id IS NOT NULL
            ORDER BY visit_id LIMIT ?
            """, arguments: [limit]).map { RemoteVisit(visitID: $0[0], siteID: $0[1], startedAt: $0[2], marked: $0[3]) }
    }

    /// Folds `pending` (read by ``nextRemote(_:limit:)``) into their leads with `current`,
    /// the remote store's state of them read since (a visit missing there was removed), and
    /// clears them; a visit marked again meanwhile stays pending for the next settle.
    /// - Returns: how many visits were folded.
    /// - Throws: SQLite errors; the transaction then rolls back and the visits stay pending.
    static func settleRemote(_ pending: [RemoteVisit], current: [Int64: Visit], _ db: Database, now: Int64) throws -> Int {
        let still = try db.cachedStatement(sql: "SELECT 1 FROM lead_pending_visits WHERE visit_id = ? AND marked = ?")
        let clear = try db.cachedStatement(sql: "DELETE FROM lead_pending_visits WHERE visit_id = ?")
        var upserted: [Visit] = []
        var removed: Set<Int64> = []
        for visit in pending where try Int.fetchOne(still, arguments: [visit.visitID, visit.marked]) != nil {
            if let state = current[visit.visitID] { upserted.append(state) } else { removed.insert(visit.visitID) }
            try clear.execute(arguments: [visit.visitID])
        }
        try LeadMaintenance.apply(upserted: upserted, removed: removed, db, now: now)
        return upserted.count + removed.count
    }
}
