import FootfallCore
import GRDB
import Logging
import Synchronization

/// The event log and visits in ClickHouse (``ClickHouseSchema``): the scale-out backend,
/// selected with `clickhouse://host:8123/database`.
///
/// Ingest nodes keep no visit state, so any number of them can take any visitor's events.
/// An ``append(_:)``:
/// 1. asks ClickHouse which of the events are already stored (a retried beacon id within
///    25 hours of the batch) and inserts the others as one block; once ClickHouse
///    acknowledged that insert the events are stored, and the count returned;
/// 2. re-derives the visits of the batch's visitors from their stored events since the
///    start of the visits the new events can touch (the pure
///    ``Sessionizer/visits(from:configuration:)``),
///    and writes those that differ from the stored ones as new row versions, removed ones
///    as tombstones.
///
/// Visits are therefore a function of the stored events: the same whichever node took which
/// event. What a reader may briefly see: when two nodes take events of one visitor within the
/// same few milliseconds, each derives the visit without the other's event and the later write
/// wins, so that visit lacks an event until the visitor's next event (or ``rebuildVisits``)
/// re-derives it; no event is lost. ClickHouse has no multi-table transactions: if the visit
/// write fails, the events stay stored, the failure is logged, and the next append re-derives
/// those visitors too.
///
/// Appends of one store run one at a time (``AsyncLock``); node clocks should be
/// synchronised (NTP), since the newest `version` of a visit wins.
public final class ClickHouseEventStore: EventStore {
    let client: ClickHouseClient
    /// The lead tables (``ClickHouseLeads``): a SQLite file of the embedded store's schema,
    /// shared by the nodes like the catalog.
    let leads: DatabasePool
    let configuration: Sessionizer.Configuration
    let logger: Logger
    /// When lead scores are taken (recency decay) and stamped, ms since the epoch.
    let clock: @Sendable () -> Int64
    /// Visitors whose visits a failed write left behind their events (with the earliest of
    /// those events' times), re-derived with the next append.
    let behind = Mutex<[VisitorKey: Int64]>([:])
    /// The `version` of the last visit write; each write takes a higher one.
    let version = Mutex<UInt64>(0)
    let appends = AsyncLock()
    /// Visitors this node derived last, so a visitor whose events keep coming to this node
    /// is not read back from ClickHouse on every batch; used only while ClickHouse's newest
    /// version of the visitor's visits is the one this node wrote (another node's write, a
    /// rebuild or an erasure makes it read back).
    let recent = Mutex<[VisitorKey: RecentVisitor]>([:])
    /// Most visitors ``recent`` holds (a visit's events each, a few KB to a few 100 KB).
    static let recentVisitorLimit = 5_000

    /// How far (ms) from a batch's events a stored event with the same id is looked for: a
    /// retried beacon is stored once if the retry comes within a day (and an hour of clock skew).
    static let retryWindowMs: Int64 = 25 * 3_600_000

    /// The longest visit looked for when an event may continue one (ms): the `started_at`
    /// bound that lets ClickHouse's primary key narrow the search. Longer visits (a day of
    /// events with no 30-minute gap) are continued only as far as a rebuild would.
    static let longestVisitMs: Int64 = 86_400_000

    private init(client: ClickHouseClient, leads: DatabasePool, configuration: Sessionizer.Configuration, logger: Logger,
                 clock: @escaping @Sendable () -> Int64) {
        self.client = client
        self.leads = leads
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
    }

    /// Connects to the store at `location`, creating the database and tables or migrating
    /// them, with its lead tables in the SQLite file at `leadsPath` (created if missing).
    /// - Parameter clock: the time leads are scored at, ms since the epoch.
    /// - Throws: ``ClickHouseError`` when ClickHouse is unreachable or refuses the schema;
    ///   GRDB's error when the lead file cannot be opened.
    public static func open(
        _ location: ClickHouseLocation, leadsPath: String, sessionizer configuration: Sessionizer.Configuration = .init(),
        logger: Logger = Logger(label: "footfall.store.clickhouse"),
        clock: @escaping @Sendable () -> Int64 = { Timestamp.nowMs() }
    ) async throws -> ClickHouseEventStore {
        let client = ClickHouseClient(location: location)
        try await ClickHouseSchema.migrate(client)
        let leads = try SQLiteDatabase.openPool(path: leadsPath)
        try EventSchema.migrator.migrate(leads)
        return ClickHouseEventStore(client: client, leads: leads, configuration: configuration, logger: logger, clock: clock)
    }

    public func append(_ events: [Event]) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        return try await appends.run {
            let fresh = try await insertNew(events)
            // Visitors with stored-only events too: an earlier insert that timed out may have
            // landed without its visits.
            var visitors = Dictionary(events.map { (VisitorKey($0), $0.timestamp) }, uniquingKeysWith: min)
            visitors.merge(behind.withLock { $0 }, uniquingKeysWith: min)
            do {
                try await rederive(visitors, batch: events)
                behind.withLock { behind in for visitor in visitors.keys { behind[visitor] = nil } }
            } catch {
                behind.withLock { $0.merge(visitors, uniquingKeysWith: min) }
                logger.error("writing visits to ClickHouse failed; they are re-derived with the next append: \(error)")
            }
            return fresh.count
        }
    }

    /// Inserts those of `events` not stored yet (nor repeated in the batch) as one block.
    /// - Returns: the events inserted.
    /// - Throws: ``ClickHouseError``; nothing is inserted then.
    private func insertNew(_ events: [Event]) async throws -> [Event] {
        let stored = try await storedIDs(of: events)
        var fresh: [Event] = []
        var seen: Set<EventKey> = []
        for event in events where !stored.contains(EventKey(event)) && seen.insert(EventKey(event)).inserted {
            fresh.append(event)
        }
        if !fresh.isEmpty { try await client.insert(into: "events", jsonRows: try ClickHouseRows.events(fresh)) }
        return fresh
    }

    /// Stores events as they are, deriving no visits: how `footfall migrate` copies an
    /// embedded store's event log, whose visits it copies with ``importVisits(_:)``.
    /// - Returns: how many were new (one already stored is skipped, so a resumed migration
    ///   stores each event once).
    /// - Throws: ``ClickHouseError``; nothing of the batch is stored then.
    public func importEvents(_ events: [Event]) async throws -> Int {
        guard !events.isEmpty else { return 0 }
        return try await appends.run { try await insertNew(events).count }
    }

    /// Stores visits as they are (as their newest versions) and marks them for their leads.
    /// - Throws: ``ClickHouseError``; the visits may then be partly stored, and importing
    ///   them again completes them.
    public func importVisits(_ visits: [Visit]) async throws {
        _ = try await appends.run { try await writeVisits(visits, removing: []) }
    }

    /// How many events and current visits a site has.
    /// - Throws: ``ClickHouseError``.
    public func counts(siteID: Int64) async throws -> (events: Int, visits: Int) {
        (try await count("events FINAL WHERE site_id = \(siteID)"), try await count("visits FINAL WHERE site_id = \(siteID) AND deleted = 0"))
    }

    /// Re-derives the open visits of `visitors` (each with the earliest event time it just
    /// got) from their stored events and writes what changed. Called with ``appends`` held.
    ///
    /// A visitor this node derived last (``recent``, when ClickHouse's newest version of its
    /// visits is the one this node wrote) is folded from the events the node kept plus
    /// `batch`; any other is read back from ClickHouse.
    /// - Throws: ``ClickHouseError``; nothing is written then.
    func rederive(_ visitors: [VisitorKey: Int64], batch: [Event]) async throws {
        guard !visitors.isEmpty else { return }
        // An event at `t` can continue, join or precede visits that ended after `t - reach`.
        let reach = max(configuration.inactivityMs, configuration.pagehideWindowMs) + configuration.latenessMs
        let sites = ClickHouseSQL.integers(Set(visitors.keys.map(\.siteID)).sorted())
        let earliest = visitors.values.min()!
        let window = "site_id IN \(sites) AND started_at >= \(earliest - reach - Self.longestVisitMs) AND ended_at >= \(earliest - reach) AND deleted = 0"
        let keys = try await client.lines("""
            SELECT concat(toString(site_id), ' ', toString(visitor_id), ' ', toString(id), ' ', toString(version), ' ',
                          toString(started_at), ' ', toString(ended_at))
            FROM visits FINAL WHERE \(window) AND (site_id, visitor_id) IN (\(Self.visitorList(visitors.keys)))
            """).map(StoredVisitKey.init)
        // Each visitor's window starts at its earliest new event, widened to the start of any
        // stored visit it can touch, so the fold starts on a visit boundary.
        var since = visitors
        var newest: [VisitorKey: UInt64] = [:]
        for key in keys { newest[key.visitor] = max(newest[key.visitor] ?? 0, key.version) }
        var widened = true
        while widened {
            widened = false
            for key in keys where key.endedAt >= since[key.visitor]! - reach && key.startedAt < since[key.visitor]! {
                since[key.visitor] = key.startedAt
                widened = true
            }
        }
        let known = recent.withLock { recent in
            visitors.keys.reduce(into: [VisitorKey: RecentVisitor]()) { known, visitor in
                if let kept = recent[visitor], kept.version == newest[visitor], kept.from <= since[visitor]! { known[visitor] = kept }
            }
        }
        let unknown = visitors.keys.filter { known[$0] == nil }
        var events = known.values.flatMap(\.events) + batch.filter { known[VisitorKey($0)] != nil }
        var before = known.values.flatMap(\.visits)
        if !unknown.isEmpty {
            let list = Self.visitorList(unknown)
            before += try ClickHouseRows.decode(Visit.self, try await client.lines("""
                SELECT doc FROM visits FINAL WHERE \(window) AND (site_id, visitor_id) IN (\(list))
                """))
            let from = unknown.map { since[$0]! }.min()!
            events += try ClickHouseRows.decode(Event.self, try await client.lines("""
                SELECT doc FROM events FINAL WHERE site_id IN \(sites) AND ts >= \(from) AND (site_id, visitor_id) IN (\(list))
                """))
        }
        events = events.filter { $0.timestamp >= since[VisitorKey($0)]! }
        let derived = Sessionizer.visits(from: events, configuration: configuration)
        let stored = Dictionary(before.filter { $0.startedAt >= since[VisitorKey($0)]! }.map { ($0.id, $0) },
                                uniquingKeysWith: { _, last in last })
        let upserted = derived.filter { stored[$0.id] != $0 }
        let kept = Set(derived.map(\.id))
        let version = try await writeVisits(upserted, removing: stored.values.filter { !kept.contains($0.id) })
        remember(events: events, visits: derived, since: since, changed: Set(upserted.map { VisitorKey($0) }), version: version,
                 newest: newest, reach: reach)
    }

    /// Keeps what this node derived for each visitor of the batch (see ``recent``): its
    /// events and visits since its window start, and the newest version of its stored visits
    /// (this write's when it changed them, else the one read).
    private func remember(events: [Event], visits: [Visit], since: [VisitorKey: Int64], changed: Set<VisitorKey>,
                          version: UInt64?, newest: [VisitorKey: UInt64], reach: Int64) {
        let eventsOf = Dictionary(grouping: events, by: VisitorKey.init)
        let visitsOf = Dictionary(grouping: visits, by: VisitorKey.init)
        recent.withLock { recent in
            for (visitor, from) in since {
                guard let written = changed.contains(visitor) ? version : newest[visitor] else {
                    recent[visitor] = nil
                    continue
                }
                var seen: Set<String> = []
                let unique = (eventsOf[visitor] ?? []).filter { seen.insert($0.id).inserted }
                recent[visitor] = RecentVisitor(from: from, events: unique, visits: visitsOf[visitor] ?? [], version: written)
            }
            // Bounded: past the cap, visitors whose visits have ended (no event for `reach`
            // before the batch's newest) go, then all if still too many; they are derived from
            // ClickHouse again when they return.
            guard recent.count > Self.recentVisitorLimit, let newest = events.map(\.timestamp).max() else { return }
            recent = recent.filter { ($0.value.events.map(\.timestamp).max() ?? .min) >= newest - reach }
            if recent.count > Self.recentVisitorLimit { recent.removeAll() }
        }
    }

    static func visitorList(_ visitors: some Sequence<VisitorKey>) -> String {
        visitors.map { "(\($0.siteID), \($0.visitorID))" }.joined(separator: ", ")
    }

    /// A stored visit's key and version, as `site visitor id version started ended`.
    struct StoredVisitKey {
        var visitor: VisitorKey
        var id: Int64
        var version: UInt64
        var startedAt: Int64
        var endedAt: Int64

        init(_ line: Substring) {
            let fields = line.split(separator: " ")
            visitor = VisitorKey(siteID: Int64(fields[0]) ?? 0, visitorID: Int64(fields[1]) ?? 0)
            id = Int64(fields[2]) ?? 0
            version = UInt64(fields[3]) ?? 0
            startedAt = Int64(fields[4]) ?? 0
            endedAt = Int64(fields[5]) ?? 0
        }
    }

    /// What this node derived last for one visitor.
    struct RecentVisitor {
        /// Start of the window its events cover, ms since the epoch.
        var from: Int64
        var events: [Event]
        var visits: [Visit]
        /// The `version` its visits were last written at by this node.
        var version: UInt64
    }

    /// Writes visits and tombstones of `removed` visits as one insert at a new version.
    /// - Returns: the version written; nil when there was nothing to write.
    /// - Throws: ``ClickHouseError``.
    @discardableResult
    func writeVisits(_ visits: [Visit], removing removed: [Visit]) async throws -> UInt64? {
        guard !visits.isEmpty || !removed.isEmpty else { return nil }
        // Marked before the write, so a crash after it leaves the visits pending, and again
        // after it, so a settle that read them in between (the old state) leaves them pending.
        let marked = visits + removed
        try await leads.write { db in try LeadPendingVisits.markRemote(marked, db) }
        let version = version.withLock { version in
            version = max(version + 1, UInt64(max(0, Timestamp.nowMs())) * 1000)
            return version
        }
        try await client.insert(into: "visits", jsonRows: try ClickHouseRows.visits(visits, removed: removed, version: version))
        try await leads.write { db in try LeadPendingVisits.markRemote(marked, db) }
        return version
    }

    /// The `(site, event id)` pairs of `events` already stored, within ``retryWindowMs`` of the batch.
    private func storedIDs(of events: [Event]) async throws -> Set<EventKey> {
        let times = events.map(\.timestamp)
        let pairs = Set(events.map(EventKey.init)).map { "(\($0.siteID), \(ClickHouseSQL.string($0.id)))" }
        let sites = ClickHouseSQL.integers(Set(events.map(\.siteID)).sorted())
        let rows = try await client.lines("""
            SELECT concat(toString(site_id), ' ', event_id) FROM events
            WHERE site_id IN \(sites) AND ts >= \(times.min()! - Self.retryWindowMs) AND ts <= \(times.max()! + Self.retryWindowMs)
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

    /// Nothing to do: nodes keep no visit state between appends.
    public func closeIdleVisits(now: Int64) -> LiveVisitCounts { LiveVisitCounts(openVisits: 0, heldEvents: 0) }

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

    /// One visitor of one site: whose visits are derived together.
    struct VisitorKey: Hashable {
        var siteID: Int64
        var visitorID: VisitorID

        init(siteID: Int64, visitorID: VisitorID) {
            self.siteID = siteID
            self.visitorID = visitorID
        }

        init(_ event: Event) {
            siteID = event.siteID
            visitorID = event.visitorID
        }

        init(_ visit: Visit) {
            siteID = visit.siteID
            visitorID = visit.visitorID
        }
    }
}
