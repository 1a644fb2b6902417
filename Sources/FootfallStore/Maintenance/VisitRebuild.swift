import FootfallCore
import GRDB

/// What `rebuild-visits` did.
public struct RebuildResult: Sendable, Equatable {
    public var events = 0
    public var visitsBefore = 0
    public var visitsAfter = 0
}

extension SQLiteEventStore {
    /// Every stored event of a site with a time in `[from, to)`, hot and compacted, in
    /// (time, id) order.
    public func events(siteID: Int64, from: Int64 = .min, to: Int64 = .max) async throws -> AnalyticsResult<[Event]> {
        try await pool.read { db in try self.events(db, siteID: siteID, from: from, to: to) }
    }

    func events(_ db: Database, siteID: Int64, from: Int64, to: Int64) throws -> AnalyticsResult<[Event]> {
        var rows = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE site_id = ? AND ts >= ? AND ts < ?", arguments: [siteID, from, to])
        var skipped: [CorruptSegment] = []
        for segment in try ColumnSegmentStore.segments(db, siteID: siteID, kind: .events, from: from, to: to) {
            do {
                let columns = try ColumnSegmentStore.allColumns(db, segment: segment)
                rows += EventColumns.rows(columns, count: segment.rowCount).filter {
                    let ts: Int64 = $0["ts"]
                    return ts >= from && ts < to
                }
            } catch let corrupt as CorruptSegment {
                skipped.append(corrupt)
            }
        }
        report(skipped)
        let events = rows.map(EventRow.event(from:)).sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
        return AnalyticsResult(rows: events, skipped: skipped)
    }

    /// Re-derives the visits that started in `[from, to)` from the stored events, replacing
    /// the stored ones (hot rows and, by rewriting the segments concerned, cold ones).
    ///
    /// Events from one inactivity timeout before `from` are read too, so a visit running
    /// across `from` is not cut in two; visits that started before `from` are left as stored.
    /// - Throws: ``CorruptSegment`` when a segment in the range cannot be read: rebuilding
    ///   from incomplete data would lose visits.
    @discardableResult
    public func rebuildVisits(siteID: Int64, from: Int64 = .min, to: Int64 = .max) async throws -> RebuildResult {
        let result = try await pool.write { db in
            let lookBack = from == .min ? from : from - self.sessionizerConfiguration.inactivityMs
            let stored = try self.events(db, siteID: siteID, from: lookBack, to: to)
            if let problem = stored.skipped.first { throw problem }
            let derived = Sessionizer.visits(from: stored.rows, configuration: self.sessionizerConfiguration)
                .filter { $0.startedAt >= from && $0.startedAt < to }
            var result = RebuildResult(events: stored.rows.count, visitsAfter: derived.count)

            result.visitsBefore = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM visits WHERE site_id = ? AND started_at >= ? AND started_at < ?",
                arguments: [siteID, from, to]) ?? 0
            try db.execute(sql: "DELETE FROM visits WHERE site_id = ? AND started_at >= ? AND started_at < ?", arguments: [siteID, from, to])
            // Segments overlapping the range keep their visits outside it, rewritten as new segments.
            for segment in try ColumnSegmentStore.segments(db, siteID: siteID, kind: .visits, from: from, to: to) {
                let batch = try ColumnSegmentStore.batch(db, segment: segment, columns: VisitColumns.allNames)
                let visits = VisitColumns.visits(siteID: siteID, batch: batch)
                let kept = visits.filter { $0.startedAt < from || $0.startedAt >= to }
                result.visitsBefore += visits.count - kept.count
                try db.execute(sql: "DELETE FROM segments WHERE id = ?", arguments: [segment.id])
                if !kept.isEmpty {
                    try ColumnSegmentStore.write(VisitColumns.segment(siteID: siteID, visits: kept), db, now: Timestamp.nowMs())
                }
            }
            // Rebuilt visits go to the hot table; the compactor moves the final ones later.
            try Self.write(visits: derived, removing: [], db)
            return result
        }
        try await resetSessionizer()
        return result
    }
}
