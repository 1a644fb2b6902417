import FootfallCore

/// The event log and the visits sessionized from it: what ingest writes to and the visit
/// API reads from. One of the storage roles (with ``LeadReader``, ``LeadAdministrator``,
/// ``AnalyticsStore`` and ``StoreMaintenance``) that every backend implements
/// (``StorageBackend``).
public protocol EventStore: Sendable {
    /// Durably appends events and folds them into visits (and their leads) in the same
    /// commit. Events whose `(site, id)` was already stored are skipped, so a retried beacon
    /// is stored once; events may arrive out of order.
    /// - Returns: how many of `events` were new.
    /// - Throws: the backend's storage error; nothing of the batch is then stored.
    func append(_ events: [Event]) async throws -> Int

    /// Visits of one site that started in a time range, oldest first, after a cursor.
    /// - Throws: the backend's storage error when the store cannot be read.
    func visits(_ query: VisitQuery) async throws -> [Visit]

    /// Ends the live visits that are final at `now` (ms since the epoch): no later event can
    /// extend them, so the in-memory sessionizer forgets them and its memory stays bounded.
    /// - Returns: what the live sessionizer still holds afterwards (zero for a backend that
    ///   keeps no visit state between appends).
    func closeIdleVisits(now: Int64) -> LiveVisitCounts
}

/// What a live sessionizer holds in memory: the visits not yet final and the events kept to
/// re-derive them (and beacons that may still join a page view). Its memory follows these.
public struct LiveVisitCounts: Sendable, Equatable {
    public var openVisits: Int
    public var heldEvents: Int
    /// Visits closed before they were final, since the previous count, because the
    /// sessionizer held its most events (``Sessionizer/Configuration/maxHeldEvents``).
    public var releasedVisits: Int

    public init(openVisits: Int, heldEvents: Int, releasedVisits: Int = 0) {
        self.openVisits = openVisits
        self.heldEvents = heldEvents
        self.releasedVisits = releasedVisits
    }
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
