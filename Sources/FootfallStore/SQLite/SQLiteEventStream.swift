import FootfallCore
import GRDB

/// ``EventStream`` over the embedded store: a site's events in `[from, to)`, hot and
/// compacted, read window by window in (time, id) order.
///
/// Each window is one read transaction. Windows adapt to the traffic (halved above 20,000
/// events, doubled below 2,000; 1 s to 30 days). A columnar segment is decoded once, when the
/// first window overlaps it, and dropped once the windows pass its newest event, so memory
/// holds the segments overlapping one window plus that window's hot rows. Segments written by
/// a compaction during the stream are picked up by the next window; rows already streamed are
/// never repeated.
struct SQLiteEventStream: EventStream {
    let store: SQLiteEventStore
    let siteID: Int64
    private var next: Int64
    private var end: Int64
    private var started = false
    private var windowMs: Int64 = 3_600_000
    /// Decoded segments: their newest event time and their events.
    private var decoded: [Int64: (maxTime: Int64, events: [Event])] = [:]
    /// Segments that failed their checksum, skipped and logged (``CorruptSegment``).
    private(set) var skipped: [CorruptSegment] = []

    static let windowRange: ClosedRange<Int64> = 1_000...(30 * Timestamp.dayMs)

    /// - Parameters:
    ///   - from: first event time, ms since the epoch (inclusive).
    ///   - to: end time, ms since the epoch (exclusive).
    init(store: SQLiteEventStore, siteID: Int64, from: Int64, to: Int64) {
        self.store = store
        self.siteID = siteID
        next = from
        end = to
    }

    mutating func nextBatch() async throws -> [Event]? {
        if !started {
            started = true
            try await clampToStoredData()
        }
        while next < end {
            let windowEnd = next + min(windowMs, end - next)
            let events = try await window(next, windowEnd)
            next = windowEnd
            if events.count > 20_000 { windowMs = max(Self.windowRange.lowerBound, windowMs / 2) }
            if events.count < 2_000 { windowMs = min(Self.windowRange.upperBound, windowMs * 2) }
            if !events.isEmpty { return events }
        }
        decoded = [:]
        return nil
    }

    /// Narrows `[next, end)` to the times the site has data for, so sparse ranges cost nothing.
    private mutating func clampToStoredData() async throws {
        let siteID = siteID
        // Plain values out of the closure (not a Row), so the read runs on GRDB's reader queue.
        let bounds = try await store.pool.read { db -> (low: Int64?, high: Int64?) in
            let row = try Row.fetchOne(db, sql: """
                SELECT MIN(lo), MAX(hi) FROM (
                    SELECT MIN(ts) AS lo, MAX(ts) AS hi FROM events WHERE site_id = ?1
                    UNION ALL SELECT MIN(min_ts), MAX(max_ts) FROM segments WHERE site_id = ?1 AND kind = ?2)
                """, arguments: [siteID, ColumnSegment.Kind.events.rawValue])
            return (row?[0], row?[1])
        }
        guard let low = bounds.low, let high = bounds.high else {
            end = next
            return
        }
        next = max(next, low)
        if high < end { end = high + 1 }
    }

    private mutating func window(_ from: Int64, _ to: Int64) async throws -> [Event] {
        let siteID = siteID
        let known = Set(decoded.keys)
        let (hot, fresh, corrupt) = try await store.pool.read { db in
            let hot = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE site_id = ? AND ts >= ? AND ts < ?",
                                       arguments: [siteID, from, to]).map(EventRow.event(from:))
            var fresh: [(SegmentInfo, [Event])] = []
            var corrupt: [CorruptSegment] = []
            for segment in try ColumnSegmentStore.segments(db, siteID: siteID, kind: .events, from: from, to: to)
            where !known.contains(segment.id) {
                do {
                    let columns = try ColumnSegmentStore.allColumns(db, segment: segment)
                    fresh.append((segment, EventColumns.rows(columns, count: segment.rowCount).map(EventRow.event(from:))))
                } catch let problem as CorruptSegment {
                    corrupt.append(problem)
                    fresh.append((segment, []))
                }
            }
            return (hot, fresh, corrupt)
        }
        store.report(corrupt)
        skipped += corrupt
        for (segment, events) in fresh { decoded[segment.id] = (segment.maxTime, events) }
        var events = hot
        for (_, segment) in decoded {
            events += segment.events.filter { $0.timestamp >= from && $0.timestamp < to }
        }
        decoded = decoded.filter { $0.value.maxTime >= to }
        return events.sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
    }
}
