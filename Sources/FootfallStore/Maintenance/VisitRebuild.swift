import FootfallCore
import GRDB

/// What `rebuild-visits` did.
public struct RebuildResult: Sendable, Equatable {
    public var events = 0
    public var visitsBefore = 0
    public var visitsAfter = 0
}

extension SQLiteEventStore {
    /// The event times a rebuild of visits starting in `[from, to)` must read.
    func eventWindow(_ db: Database, siteID: Int64, from: Int64, to: Int64) throws -> (Int64, Int64) {
        let configuration = sessionizerConfiguration
        let reach = max(configuration.inactivityMs, configuration.pagehideWindowMs) + configuration.latenessMs
        // Visits longer than a day are not looked for across the boundaries.
        let day: Int64 = 86_400_000
        var lower = from == .min ? from : from - reach
        var upper = to == .max ? to : to + reach
        let spans = try visitSpans(db, siteID: siteID, from: from == .min ? from : from - day, to: to)
        for (start, end) in spans {
            if start < from && end >= from - reach { lower = min(lower, start) }
            if start >= from && upper != .max { upper = max(upper, end + reach) }
        }
        return (lower, upper)
    }

    /// `(start, end)` of the stored visits (hot and cold) that started in `[from, to)`.
    func visitSpans(_ db: Database, siteID: Int64, from: Int64, to: Int64) throws -> [(Int64, Int64)] {
        var spans = try Row.fetchAll(db, sql: """
            SELECT started_at, ended_at FROM visits WHERE site_id = ? AND started_at >= ? AND started_at < ?
            """, arguments: [siteID, from, to]).map { ($0[0] as Int64, $0[1] as Int64) }
        for segment in try ColumnSegmentStore.segments(db, siteID: siteID, kind: .visits, from: from, to: to) {
            let batch = try ColumnSegmentStore.batch(db, segment: segment, columns: ["started_at", "duration_ms"])
            let starts = batch.integers("started_at"), durations = batch.integers("duration_ms")
            for row in 0..<batch.rowCount where starts[row] >= from && starts[row] < to {
                spans.append((starts[row], starts[row] + durations[row]))
            }
        }
        return spans
    }

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
    /// Events are read from the start of the stored visit running into `from` (so the fold
    /// starts on a visit boundary) to past the end of the last visit starting before `to`
    /// (so no visit is cut short); visits that started outside the range are left as stored.
    /// - Throws: ``CorruptSegment`` when a segment in the range cannot be read: rebuilding
    ///   from incomplete data would lose visits.
    @discardableResult
    public func rebuildVisits(siteID: Int64, from: Int64 = .min, to: Int64 = .max) async throws -> RebuildResult {
        try await maintenance.run {
            let result = try await writeSettled { db in
                let (lower, upper) = try self.eventWindow(db, siteID: siteID, from: from, to: to)
                let stored = try self.events(db, siteID: siteID, from: lower, to: upper)
                if let problem = stored.skipped.first { throw problem }
                let derived = Sessionizer.visits(from: stored.rows, configuration: self.sessionizerConfiguration)
                    .filter { $0.startedAt >= from && $0.startedAt < to }
                var result = RebuildResult(events: stored.rows.count, visitsAfter: derived.count)

                result.visitsBefore = try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM visits WHERE site_id = ? AND started_at >= ? AND started_at < ?",
                    arguments: [siteID, from, to]) ?? 0
                let replaced = try Int64.fetchSet(db, sql: """
                    SELECT v.visit_id FROM lead_visits v JOIN leads l ON l.id = v.lead_id
                    WHERE l.site_id = ? AND v.started_at >= ? AND v.started_at < ?
                    """, arguments: [siteID, from, to])
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
                try LeadMaintenance.apply(upserted: derived, removed: replaced, db, now: self.clock())
                return result
            }
            try await resetSessionizer()
            return result
        }
    }
}
