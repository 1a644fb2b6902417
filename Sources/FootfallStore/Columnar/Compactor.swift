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
    /// Each segment is read and encoded from a snapshot, off the writer, then written in a
    /// transaction of its own that also deletes exactly the hot rows it covers: a crash at any
    /// point leaves each row either hot or in a segment, never both and never neither, and
    /// ingest waits for one segment's insert and delete at a time instead of a whole site's
    /// compaction (reading and encoding are most of the work). Maintenance that rewrites
    /// visits or events (``rebuildVisits(siteID:from:to:)``, erasure, retention, `VACUUM`)
    /// waits for a compaction to finish, and a segment whose rows changed meanwhile is not
    /// written.
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
        try await maintenance.run {
            let cutoff = sessionizerConfiguration.finalCutoff(now: now)
            // Final visits leave the live sessionizer first, on the writer's queue: every append
            // that could still rewrite one has committed, and none after can.
            try await pool.write { db in
                try RecentEventIDs.forget(now: now, db)
                _ = self.sessionizer.withLock { $0.closeIdle(now: now) }
            }
            let sites = try await pool.read { db in
                try Int64.fetchAll(db, sql: "SELECT DISTINCT site_id FROM visits WHERE ended_at < ?", arguments: [cutoff])
            }
            var total = CompactionResult()
            for site in sites {
                let result = try await compactSite(site, cutoff: cutoff, now: now, minimumRows: minimumRows, failAt: failAt)
                total.segments += result.segments
                total.visits += result.visits
                total.events += result.events
            }
            return total
        }
    }

    func compactSite(_ site: Int64, cutoff: Int64, now: Int64, minimumRows: Int, failAt: CompactionStep?) async throws -> CompactionResult {
        var result = CompactionResult()
        let finalCount = try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM visits WHERE site_id = ? AND ended_at < ?", arguments: [site, cutoff]) ?? 0
        }
        guard finalCount > 0, finalCount >= minimumRows else { return result }
        // A segment's worth at a time (keyset pages), so memory stays bounded by one segment.
        var after = (startedAt: Int64.min, id: Int64.min)
        while true {
            let page = try await pool.read { [after] db in
                let visits = try Row.fetchAll(db, sql: """
                    SELECT * FROM visits WHERE site_id = ? AND ended_at < ? AND (started_at, id) > (?, ?)
                    ORDER BY started_at, id LIMIT ?
                    """, arguments: [site, cutoff, after.startedAt, after.id, ColumnSegmentStore.maxRows]).map(VisitRow.visit(from:))
                return visits.isEmpty ? nil : (ColumnSegmentStore.Encoded(VisitColumns.segment(siteID: site, visits: visits)), visits.first!, visits.last!)
            }
            guard let (encoded, first, last) = page else { break }
            try await writeSettled { db in
                try ColumnSegmentStore.write(encoded, db, now: now)
                if failAt == .visitSegmentWritten { throw InjectedFailure(step: .visitSegmentWritten) }
                try db.execute(sql: """
                    DELETE FROM visits WHERE site_id = ? AND ended_at < ? AND (started_at, id) BETWEEN (?, ?) AND (?, ?)
                    """, arguments: [site, cutoff, first.startedAt, first.id, last.startedAt, last.id])
                try Self.requireCovered(db.changesCount, encoded)
                if failAt == .hotVisitsDeleted { throw InjectedFailure(step: .hotVisitsDeleted) }
            }
            result.segments += 1
            result.visits += encoded.segment.rowCount
            after = (last.startedAt, last.id)
        }

        // Events stay hot while a hot visit may still need them (restart, rebuild); older
        // ones go to event segments.
        let (eventCutoff, schema) = try await pool.read { db in
            let oldestHot = try Int64.fetchOne(db, sql: "SELECT MIN(started_at) FROM visits WHERE site_id = ?", arguments: [site])
            return (min(cutoff, oldestHot ?? cutoff), try EventColumns.schema(db))
        }
        var afterRow: Int64 = 0
        while true {
            let page = try await pool.read { [afterRow] db in
                // Arrival (rowid) order is close to time order, and a rowid keyset scans each row once.
                let rows = try Row.fetchAll(db, sql: """
                    SELECT *, rowid FROM events WHERE site_id = ? AND ts < ? AND rowid > ? ORDER BY rowid LIMIT ?
                    """, arguments: [site, eventCutoff, afterRow, ColumnSegmentStore.maxRows])
                guard let first = rows.first, let last = rows.last else { return nil as (ColumnSegmentStore.Encoded, ClosedRange<Int64>)? }
                let rowids: ClosedRange<Int64> = (first[schema.count] as Int64)...(last[schema.count] as Int64)
                return (ColumnSegmentStore.Encoded(EventColumns.segment(siteID: site, rows: rows, schema: schema)), rowids)
            }
            guard let (encoded, rowids) = page else { break }
            try await writeSettled { db in
                try ColumnSegmentStore.write(encoded, db, now: now)
                if failAt == .eventSegmentWritten { throw InjectedFailure(step: .eventSegmentWritten) }
                try RecentEventIDs.remember(siteID: site, before: eventCutoff, rowids: rowids, now: now, db)
                // The rowid range drives (`+` keeps SQLite off the (site, time) index, whose range
                // holds every event still to compact).
                try db.execute(sql: "DELETE FROM events WHERE rowid BETWEEN ? AND ? AND +site_id = ? AND +ts < ?",
                               arguments: [rowids.lowerBound, rowids.upperBound, site, eventCutoff])
                try Self.requireCovered(db.changesCount, encoded)
            }
            result.segments += 1
            result.events += encoded.segment.rowCount
            afterRow = rowids.upperBound
        }
        return result
    }

    /// Rolls a segment's transaction back unless it deleted exactly the hot rows the segment
    /// holds (rows another transaction removed since the snapshot must not come back).
    static func requireCovered(_ deleted: Int, _ encoded: ColumnSegmentStore.Encoded) throws {
        let expected = encoded.segment.rowCount
        guard deleted == expected else { throw CompactionRace(expected: expected, deleted: deleted) }
    }
}

/// A segment's hot rows changed between reading and writing it: nothing of it was written;
/// the next compaction reads them again.
struct CompactionRace: Error, CustomStringConvertible {
    var expected: Int
    var deleted: Int
    var description: String { "compaction skipped a segment: \(expected) rows read, \(deleted) still hot" }
}

/// The failure ``SQLiteEventStore/compact(now:minimumRows:failAt:)`` raises on request.
struct InjectedFailure: Error, Equatable {
    var step: CompactionStep
}
