import FootfallCore

/// What keeps stored data in shape and ends its life: compaction into columnar storage,
/// retention, data-subject requests (GDPR arts. 15, 17, 20), visit rebuilds and integrity
/// checks. Run by the server's janitor and retention services, ``DataLifecycle`` and the CLI.
public protocol StoreMaintenance: Sendable {
    /// Moves final visits (idle past the inactivity timeout plus the lateness window at
    /// `now`, ms since the epoch) and older events into columnar storage. Reads see the same
    /// visits and events before and after.
    /// - Parameter minimumRows: sites with fewer final visits are left for a later run
    ///   (0 compacts everything final).
    /// - Throws: the backend's storage error; the rows of the failing site stay hot then.
    @discardableResult
    func compact(now: Int64, minimumRows: Int) async throws -> CompactionResult

    /// Deletes visits that ended and events that happened before `cutoff` (ms since the
    /// epoch), hot and compacted (compacted rows go once a whole segment has expired), and
    /// folds the removed visits out of their leads.
    /// - Parameter siteID: one site, or every site when nil.
    /// - Throws: ``CorruptSegment`` when expired compacted visits cannot be read, or the
    ///   backend's storage error; nothing is deleted then.
    @discardableResult
    func dropData(olderThan cutoff: Int64, siteID: Int64?) async throws -> RetentionResult

    /// Gives the space freed by compaction, retention or erasure back to the file system, so
    /// deleted rows do not linger in storage.
    /// - Throws: the backend's storage error.
    func vacuum() async throws

    /// The subject's events and visits, hot and compacted, each sorted by time.
    /// - Throws: the backend's storage error when the store cannot be read.
    func subjectData(_ subject: DataSubject) async throws -> (events: [Event], visits: [Visit])

    /// Deletes every event and visit of the subject, hot and compacted, and folds the visits
    /// out of their leads, all or nothing; open visits of the subject are not written back.
    /// - Parameter receipt: the request's receipt id, returned in the result.
    /// - Throws: ``CorruptSegment`` when compacted data cannot be read, or the backend's
    ///   storage error; nothing is erased then.
    func erase(_ subject: DataSubject, receipt: String) async throws -> ErasureResult

    /// Re-derives the visits of a site that started in `[from, to)` (ms since the epoch) from
    /// its stored events, replacing the stored ones.
    /// - Throws: ``CorruptSegment`` when events in the range cannot be read, or the backend's
    ///   storage error; the stored visits are kept then.
    @discardableResult
    func rebuildVisits(siteID: Int64, from: Int64, to: Int64) async throws -> RebuildResult

    /// Verifies every compacted segment (checksums and decoding).
    /// - Throws: the backend's storage error when the store cannot be read.
    func checkSegments() async throws -> SegmentCheckResult
}
