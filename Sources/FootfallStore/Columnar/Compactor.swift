import FootfallCore
import GRDB

/// What one compaction moved into segments.
public struct CompactionResult: Sendable, Equatable {
    public var segments = 0
    public var visits = 0
    public var events = 0
}

/// A point inside a compaction where tests inject a failure (a crash stand-in).
enum CompactionStep: Sendable {
    case visitSegmentWritten, hotVisitsDeleted, eventSegmentWritten
}

extension SQLiteEventStore {
    /// Moves final visits (idle past the inactivity timeout plus the lateness window) and
    /// the events before the oldest remaining hot visit into columnar segments.
    ///
    /// Each site's compaction is one transaction that writes the segments and deletes the
    /// hot rows they cover, so a crash at any point leaves either the rows or the segment,
    /// never both and never neither.
    /// - Parameters:
    ///   - now: the clock (visits final at `now` are compacted).
    ///   - minimumRows: sites with fewer final visits are left for a later run, so
    ///     segments stay large enough to compress well (0 compacts everything final).
    @discardableResult
    public func compact(now: Int64 = Timestamp.nowMs(), minimumRows: Int = 0) async throws -> CompactionResult {
        try await compact(now: now, minimumRows: minimumRows, failAt: nil)
    }

    /// ``compact(now:minimumRows:)`` that throws ``InjectedFailure`` at `failAt`, rolling that
    /// step's transaction back: how tests stand in for a crash.
    func compact(now: Int64 = Timestamp.nowMs(), minimumRows: Int = 0, failAt: CompactionStep?) async throws -> CompactionResult {
        let cutoff = sessionizerConfiguration.finalCutoff(now: now)
        try await pool.write { db in try RecentEventIDs.forget(now: now, db) }
        let sites = try await pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT DISTINCT site_id FROM visits WHERE ended_at < ?", arguments: [cutoff])
        }
        var total = CompactionResult()
        for site in sites {
            let result = try await writeSettled { db in
                // Final visits leave the live sessionizer first, so no later fold rewrites a
                // visit that is already in a segment.
                _ = self.sessionizer.withLock { $0.closeIdle(now: now) }
                return try self.compactSite(site, cutoff: cutoff, now: now, minimumRows: minimumRows, failAt: failAt, db)
            }
            total.segments += result.segments
            total.visits += result.visits
            total.events += result.events
        }
        return total
    }

    func compactSite(_ site: Int64, cutoff: Int64, now: Int64, minimumRows: Int, failAt: CompactionStep?, _ db: Database) throws -> CompactionResult {
        var result = CompactionResult()
        let finalCount = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM visits WHERE site_id = ? AND ended_at < ?", arguments: [site, cutoff]) ?? 0
        guard finalCount > 0, finalCount >= minimumRows else { return result }
        // A segment's worth at a time (keyset pages), so memory stays bounded by one segment.
        var after = (startedAt: Int64.min, id: Int64.min)
        while true {
            let visits = try Row.fetchAll(db, sql: """
                SELECT * FROM visits WHERE site_id = ? AND ended_at < ? AND (started_at, id) > (?, ?)
                ORDER BY started_at, id LIMIT ?
                """, arguments: [site, cutoff, after.startedAt, after.id, ColumnSegmentStore.maxRows]).map(VisitRow.visit(from:))
            guard let last = visits.last else { break }
            try ColumnSegmentStore.write(VisitColumns.segment(siteID: site, visits: visits), db, now: now)
            result.segments += 1
            result.visits += visits.count
            after = (last.startedAt, last.id)
        }
        if failAt == .visitSegmentWritten { throw InjectedFailure(step: .visitSegmentWritten) }
        try db.execute(sql: "DELETE FROM visits WHERE site_id = ? AND ended_at < ?", arguments: [site, cutoff])
        if failAt == .hotVisitsDeleted { throw InjectedFailure(step: .hotVisitsDeleted) }

        // Events stay hot while a hot visit may still need them (restart, rebuild); older
        // ones go to event segments.
        let oldestHot = try Int64.fetchOne(db, sql: "SELECT MIN(started_at) FROM visits WHERE site_id = ?", arguments: [site])
        let eventCutoff = min(cutoff, oldestHot ?? cutoff)
        let schema = try EventColumns.schema(db)
        var afterRow: Int64 = 0
        while true {
            // Arrival (rowid) order is close to time order, and a rowid keyset scans each row once.
            let rows = try Row.fetchAll(db, sql: """
                SELECT *, rowid FROM events WHERE site_id = ? AND ts < ? AND rowid > ? ORDER BY rowid LIMIT ?
                """, arguments: [site, eventCutoff, afterRow, ColumnSegmentStore.maxRows])
            guard let last = rows.last else { break }
            try ColumnSegmentStore.write(EventColumns.segment(siteID: site, rows: rows, schema: schema), db, now: now)
            result.segments += 1
            result.events += rows.count
            afterRow = last[schema.count]
        }
        if failAt == .eventSegmentWritten { throw InjectedFailure(step: .eventSegmentWritten) }
        try RecentEventIDs.remember(siteID: site, before: eventCutoff, now: now, db)
        try db.execute(sql: "DELETE FROM events WHERE site_id = ? AND ts < ?", arguments: [site, eventCutoff])
        return result
    }
}

/// The failure ``SQLiteEventStore/compact(now:minimumRows:failAt:)`` raises on request.
struct InjectedFailure: Error, Equatable {
    var step: CompactionStep
}
