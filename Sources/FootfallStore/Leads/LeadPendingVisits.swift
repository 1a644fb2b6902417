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
}
