import FootfallCore

/// A site's stored events in a time range, hot and compacted alike, handed out batch by batch
/// in (time, id) order so a response can stream months of raw events in bounded memory.
/// Made by ``AnalyticsStore/eventStream(siteID:from:to:)``.
public protocol EventStream: Sendable {
    /// The next events in (time, id) order, never empty; nil once the range is exhausted.
    /// Events stored or compacted while the stream runs may or may not appear, but no event
    /// is handed out twice.
    /// - Throws: the backend's storage error (a corrupt segment is skipped and logged, not thrown).
    mutating func nextBatch() async throws -> [Event]?
}
