import FootfallCore
import Foundation
import GRDB

/// What a retention run deleted.
public struct RetentionResult: Sendable, Equatable {
    public var segments = 0
    public var hotVisits = 0
    public var hotEvents = 0

    public init() {}
}

/// What `footfall check` found.
public struct SegmentCheckResult: Sendable {
    public var segments: Int
    public var problems: [CorruptSegment]
}

/// The maintenance role: compaction (``compact(now:minimumRows:)``), retention and segment
/// checks here, data-subject requests in SubjectData.swift, visit rebuilds in VisitRebuild.swift.
extension SQLiteEventStore: StoreMaintenance {
    /// Deletes data older than `cutoff`: whole segments whose newest row is older (only their
    /// visit ids are read, no blob is rewritten), and hot visits and events before it. A
    /// segment straddling the cutoff is kept until all of it has expired. The removed visits
    /// are folded out of their leads in the same transaction (a lead left with no visit stays
    /// as a tombstone the change feed announces once).
    /// - Parameter siteID: one site, or every site when nil.
    /// - Throws: ``CorruptSegment`` when an expired segment's visit ids cannot be read.
    @discardableResult
    public func dropData(olderThan cutoff: Int64, siteID: Int64? = nil) async throws -> RetentionResult {
        try await maintenance.run {
            let now = clock()
            return try await writeSettled { db in
                let siteFilter = siteID == nil ? "" : " AND site_id = \(siteID!)"
                var result = RetentionResult()
                var removedVisits = Set(try Int64.fetchAll(db, sql: "SELECT id FROM visits WHERE ended_at < ?" + siteFilter, arguments: [cutoff]))
                let expired = try Row.fetchAll(db, sql: "SELECT * FROM segments WHERE kind = ? AND max_ts < ?" + siteFilter,
                                               arguments: [ColumnSegment.Kind.visits.rawValue, cutoff])
                for segment in expired.map(ColumnSegmentStore.info(from:)) {
                    removedVisits.formUnion(try ColumnSegmentStore.batch(db, segment: segment, columns: ["id"]).integers("id"))
                }
                try LeadMaintenance.apply(upserted: [], removed: removedVisits, db, now: now)
                try db.execute(sql: "DELETE FROM segments WHERE max_ts < ?" + siteFilter, arguments: [cutoff])
                result.segments = db.changesCount
                try db.execute(sql: "DELETE FROM visits WHERE ended_at < ?" + siteFilter, arguments: [cutoff])
                result.hotVisits = db.changesCount
                try db.execute(sql: "DELETE FROM events WHERE ts < ?" + siteFilter, arguments: [cutoff])
                result.hotEvents = db.changesCount
                return result
            }
        }
    }

    /// Checkpoints the WAL and rewrites the file so pages freed by compaction or retention
    /// go back to the file system.
    /// Waits for a running compaction: VACUUM may renumber the events' rowids, which a
    /// compaction's segments name.
    public func vacuum() async throws {
        try await maintenance.run {
            try await checkpointer.excluding {
                try await pool.writeWithoutTransaction { db in
                    try db.execute(sql: "VACUUM")
                    try db.checkpoint(.truncate)
                }
            }
        }
    }

    /// Bytes of the database file plus its WAL and shared-memory files.
    public func fileBytes() -> Int64 {
        [path, path + "-wal", path + "-shm"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }

    /// Verifies the checksum and decoding of every column of every segment.
    public func checkSegments() async throws -> SegmentCheckResult {
        try await pool.read { db in
            let (segments, problems) = try ColumnSegmentStore.verifyAll(db)
            return SegmentCheckResult(segments: segments, problems: problems)
        }
    }

    /// Segments stored for a site (zone maps only).
    public func segments(siteID: Int64, kind: ColumnSegment.Kind) async throws -> [SegmentInfo] {
        try await pool.read { db in try ColumnSegmentStore.segments(db, siteID: siteID, kind: kind) }
    }
}
