import GRDB

/// Ids of recently compacted events (`compacted_event_ids`): the hot `events` table's
/// unique index makes a retried beacon a no-op only while its row is hot, so compaction
/// copies the ids of events younger than ``window`` here before deleting their rows, and
/// ``SQLiteEventStore/append(_:)`` skips ids found here. One (site, id, time) row per event,
/// pruned once older than the window.
enum RecentEventIDs {
    /// How long a compacted event id is remembered, in ms: a day, plus an hour of margin for
    /// clients retrying from an offline queue.
    static let window: Int64 = 25 * 3_600_000

    static let containsSQL = "SELECT 1 FROM compacted_event_ids WHERE site_id = ? AND event_id = ?"

    /// Copies the ids of a site's hot events before `cutoff` with a rowid in `rowids` (the
    /// rows of one segment, about to be compacted) that are younger than the window at `now`
    /// (ms since the epoch).
    static func remember(siteID: Int64, before cutoff: Int64, rowids: ClosedRange<Int64>, now: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO compacted_event_ids (site_id, event_id, ts)
            SELECT site_id, event_id, ts FROM events
            WHERE rowid BETWEEN ? AND ? AND +site_id = ? AND +ts < ? AND +ts >= ?
            """, arguments: [rowids.lowerBound, rowids.upperBound, siteID, cutoff, now - window])
    }

    /// Forgets ids older than the window at `now`.
    static func forget(now: Int64, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM compacted_event_ids WHERE ts < ?", arguments: [now - window])
    }
}
