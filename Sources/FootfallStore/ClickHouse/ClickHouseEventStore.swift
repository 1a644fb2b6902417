import FootfallCore
import Logging
import Synchronization

/// The event log and visits in ClickHouse (``ClickHouseSchema``): the ``EventStore`` and
/// ``AnalyticsStore`` roles of the scale-out backend, selected with
/// `clickhouse://host:8123/database`.
///
/// An ``append(_:)`` first asks ClickHouse which of the events are already stored (a
/// retried beacon id within 25 hours of the batch), inserts the others as one block, and
/// returns once ClickHouse acknowledged that insert: the events are then stored. It then
/// folds them into the in-memory ``Sessionizer`` (restored at open from the stored events
/// of open visits) and inserts the visits they changed as new row versions, removed visits
/// as tombstones. ClickHouse has no multi-table transactions: if the visit insert fails,
/// the events stay stored, the failure is logged, and the unwritten visit versions go out
/// with the next append, so visits lag the event log until then but never lose an event.
///
/// Appends run one at a time (``AsyncLock``).
public final class ClickHouseEventStore: EventStore {
    let client: ClickHouseClient
    let configuration: Sessionizer.Configuration
    let logger: Logger
    /// The time that decides which visits are still open, ms since the epoch.
    let clock: @Sendable () -> Int64
    let sessionizer: Mutex<Sessionizer>
    /// The latest written state of each open visit: the key its tombstone needs if a late
    /// event removes it. Bounded like the sessionizer: closed visits leave.
    let written: Mutex<[Int64: Visit]>
    /// Visit writes whose insert failed, by visit id (nil: a removal), sent with the next append.
    let unwritten = Mutex<[Int64: Visit?]>([:])
    /// The `version` of the last visit write; each write takes a higher one.
    let version: Mutex<UInt64>
    let appends = AsyncLock()

    /// How far (ms) from a batch's events a stored event with the same id is looked for: a
    /// retried beacon is stored once if the retry comes within a day (and an hour of clock skew).
    static let retryWindowMs: Int64 = 25 * 3_600_000

    private init(client: ClickHouseClient, configuration: Sessionizer.Configuration, logger: Logger,
                 clock: @escaping @Sendable () -> Int64, events: [Event], open: [Visit], version: UInt64) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        sessionizer = Mutex(Sessionizer(configuration: configuration, events: events))
        written = Mutex(Dictionary(open.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last }))
        self.version = Mutex(version)
    }

    /// Connects to the store at `location`, creating the database and tables or migrating
    /// them, and restores the sessionizer from the stored events of the visits open at `now`.
    /// - Parameters:
    ///   - clock: the time (ms since the epoch) deciding which visits are open.
    /// - Throws: ``ClickHouseError`` when ClickHouse is unreachable or refuses the schema.
    public static func open(
        _ location: ClickHouseLocation, sessionizer configuration: Sessionizer.Configuration = .init(),
        logger: Logger = Logger(label: "footfall.store.clickhouse"),
        clock: @escaping @Sendable () -> Int64 = { Timestamp.nowMs() }
    ) async throws -> ClickHouseEventStore {
        let client = ClickHouseClient(location: location)
        try await ClickHouseSchema.migrate(client)
        let state = try await openState(client, configuration: configuration, now: clock())
        let stored = try await client.lines("SELECT max(version) FROM visits").first.flatMap { UInt64($0) } ?? 0
        return ClickHouseEventStore(client: client, configuration: configuration, logger: logger, clock: clock,
                                    events: state.events, open: state.visits, version: stored)
    }

    /// The stored visits open at `now` (not final: ``Sessionizer/Configuration/finalCutoff(now:)``)
    /// and the events of their visitors since the first of them: what the sessionizer
    /// continues from.
    static func openState(_ client: ClickHouseClient, configuration: Sessionizer.Configuration, now: Int64)
        async throws -> (events: [Event], visits: [Visit])
    {
        let open = try ClickHouseRows.decode(Visit.self, try await client.lines("""
            SELECT doc FROM visits FINAL WHERE deleted = 0 AND ended_at >= \(configuration.finalCutoff(now: now))
            """))
        var since: [String: Int64] = [:]
        for visit in open {
            let visitor = "\(visit.siteID), \(visit.visitorID)"
            since[visitor] = min(since[visitor] ?? .max, visit.startedAt)
        }
        guard let earliest = since.values.min() else { return ([], open) }
        let visitors = since.keys.map { "(\($0))" }.joined(separator: ", ")
        let events = try ClickHouseRows.decode(Event.self, try await client.lines("""
            SELECT doc FROM events FINAL WHERE ts >= \(earliest) AND (site_id, visitor_id) IN (\(visitors))
            """)).filter { $0.timestamp >= since["\($0.siteID), \($0.visitorID)"]! }
        return (events, open)
    }

    /// Restarts the live sessionizer from what is stored, after maintenance deleted or
    /// re-derived visits (having first written any visits waiting for a retry). Called with
    /// ``appends`` held.
    func resetSessionizer() async throws {
        let state = try await Self.openState(client, configuration: configuration, now: clock())
        sessionizer.withLock { $0 = Sessionizer(configuration: configuration, events: state.events) }
        written.withLock { $0 = Dictionary(state.visits.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last }) }
        unwritten.withLock { $0 = [:] }
    }

    public func append(_ events: [Event]) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        return try await appends.run {
            let stored = try await storedIDs(of: events)
            var fresh: [Event] = []
            var seen: Set<EventKey> = []
            for event in events where !stored.contains(EventKey(event)) && seen.insert(EventKey(event)).inserted {
                fresh.append(event)
            }
            if !fresh.isEmpty { try await client.insert(into: "events", jsonRows: try ClickHouseRows.events(fresh)) }
            // Fold the new events, and stored ones of open visits: an earlier insert that timed
            // out may have landed unfolded (the sessionizer ignores ids it already holds).
            let cutoff = configuration.finalCutoff(now: clock())
            let folded = fresh + events.filter { stored.contains(EventKey($0)) && $0.timestamp >= cutoff }
            let changes = sessionizer.withLock { sessionizer in
                var changes: [Int64: Visit?] = [:]
                for event in folded {
                    let change = sessionizer.ingest(event)
                    for id in change.removed { changes[id] = .some(nil) }
                    for visit in change.upserted { changes[visit.id] = visit }
                }
                return changes
            }
            do {
                try await writeVisits(changes)
            } catch {
                logger.error("writing visits to ClickHouse failed; they are retried with the next append: \(error)")
            }
            return fresh.count
        }
    }

    /// Writes visit changes (plus any left from a failed write) as one insert at a new
    /// version. Called with ``appends`` held.
    /// - Throws: ``ClickHouseError``; the changes then wait for the next call.
    func writeVisits(_ changes: [Int64: Visit?]) async throws {
        let pending = unwritten.withLock { unwritten in
            unwritten.merge(changes) { _, new in new }
            return unwritten
        }
        guard !pending.isEmpty else { return }
        let known = written.withLock { $0 }
        let upserted = pending.values.compactMap { $0 }
        // A removed visit that was never written needs no tombstone.
        let removed = pending.filter { $0.value == nil }.compactMap { known[$0.key] }
        let version = version.withLock { version in
            version = max(version + 1, UInt64(max(0, Timestamp.nowMs())) * 1000)
            return version
        }
        try await client.insert(into: "visits", jsonRows: try ClickHouseRows.visits(upserted, removed: removed, version: version))
        unwritten.withLock { unwritten in
            for (id, visit) in pending where unwritten[id].map({ $0 == visit }) ?? false { unwritten[id] = nil }
        }
        written.withLock { written in
            for (id, visit) in pending { written[id] = visit }
        }
    }

    /// The `(site, event id)` pairs of `events` already stored, within ``retryWindowMs`` of the batch.
    private func storedIDs(of events: [Event]) async throws -> Set<EventKey> {
        let times = events.map(\.timestamp)
        let pairs = Set(events.map(EventKey.init)).map { "(\($0.siteID), \(ClickHouseSQL.string($0.id)))" }
        let rows = try await client.lines("""
            SELECT concat(toString(site_id), ' ', event_id) FROM events
            WHERE ts >= \(times.min()! - Self.retryWindowMs) AND ts <= \(times.max()! + Self.retryWindowMs)
              AND (site_id, event_id) IN (\(pairs.joined(separator: ", ")))
            """)
        return Set(rows.compactMap { row in
            guard let space = row.firstIndex(of: " "), let site = Int64(row[..<space]) else { return nil }
            return EventKey(siteID: site, id: String(row[row.index(after: space)...]))
        })
    }

    public func visits(_ query: VisitQuery) async throws -> [Visit] {
        let after = query.after ?? VisitCursor(startedAt: query.from, visitID: .min)
        return try ClickHouseRows.decode(Visit.self, try await client.lines("""
            SELECT doc FROM visits FINAL
            WHERE site_id = \(query.siteID) AND started_at >= \(query.from) AND started_at < \(query.to) AND deleted = 0
              AND (started_at > \(after.startedAt) OR (started_at = \(after.startedAt) AND id > \(after.visitID)))
            ORDER BY started_at, id LIMIT \(max(0, query.limit))
            """))
    }

    public func closeIdleVisits(now: Int64) {
        let closed = sessionizer.withLock { $0.closeIdle(now: now) }
        written.withLock { written in
            for visit in closed { written[visit.id] = nil }
        }
    }

    /// An event's identity: ids are unique per site.
    struct EventKey: Hashable {
        var siteID: Int64
        var id: String

        init(siteID: Int64, id: String) {
            self.siteID = siteID
            self.id = id
        }

        init(_ event: Event) {
            self.init(siteID: event.siteID, id: event.id)
        }
    }
}
