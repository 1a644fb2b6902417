import FootfallCore

/// Where events and the visits derived from them live.
///
/// Implemented by the embedded SQLite backend; the ClickHouse backend implements the same
/// protocol so ingest, the Lead API and exports do not care which one runs.
public protocol EventStore: Sendable {
    /// Durably appends events and folds them into visits. Events whose `(site, id)` was
    /// already stored are skipped, so a retried beacon is stored once.
    /// - Returns: how many of `events` were new.
    func append(_ events: [Event]) async throws -> Int

    /// Visits of one site that started in a time range, oldest first, after a cursor.
    func visits(_ query: VisitQuery) async throws -> [Visit]
}

/// Selects visits of one site by start time, with keyset pagination.
public struct VisitQuery: Sendable, Equatable {
    public var siteID: Int64
    /// Inclusive lower bound on the visit start, milliseconds since the epoch.
    public var from: Int64
    /// Exclusive upper bound on the visit start, milliseconds since the epoch.
    public var to: Int64
    public var limit: Int
    /// Resume after this visit (its start time and id), from the previous page's last row.
    public var after: VisitCursor?

    public init(siteID: Int64, from: Int64 = 0, to: Int64 = .max, limit: Int = 100, after: VisitCursor? = nil) {
        self.siteID = siteID
        self.from = from
        self.to = to
        self.limit = limit
        self.after = after
    }
}

/// Position in a start-time-ordered list of visits.
public struct VisitCursor: Sendable, Equatable {
    public var startedAt: Int64
    public var visitID: Int64

    public init(startedAt: Int64, visitID: Int64) {
        self.startedAt = startedAt
        self.visitID = visitID
    }

    /// Opaque text form used in API responses: `<startedAt>.<visitID>`.
    public var token: String { "\(startedAt).\(visitID)" }

    /// Parses ``token``; nil when malformed.
    public init?(token: String) {
        let parts = token.split(separator: ".")
        guard parts.count == 2, let startedAt = Int64(parts[0]), let visitID = Int64(parts[1]) else { return nil }
        self.init(startedAt: startedAt, visitID: visitID)
    }
}
