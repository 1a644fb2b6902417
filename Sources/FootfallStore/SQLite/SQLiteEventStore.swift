import FootfallCore
import Foundation
import GRDB
import Logging
import Synchronization

/// The embedded event store: hot rows and columnar segments in one WAL-mode SQLite file.
///
/// Every ``append(_:)`` is one transaction that inserts the new events, upserts (or
/// removes) the visits they change and records those visits as pending for their leads
/// (``LeadPendingVisits``), so visits always match the committed event log. Leads follow:
/// ``settleLeads()`` folds the pending visits in, and every lead read and every maintenance
/// transaction settles first, so what anyone reads matches the committed visits. The
/// compactor (``compact(now:minimumRows:)``) later moves final visits and old events into
/// columnar segments in the same file; reads see hot rows and segments as one snapshot.
public final class SQLiteEventStore: EventStore {
    let pool: DatabasePool
    /// The database file; `-wal` and `-shm` files sit beside it.
    public let path: String
    let sessionizerConfiguration: Sessionizer.Configuration
    let sessionizer: Mutex<Sessionizer>
    let logger: Logger
    /// When lead scores are taken (recency decay) and stamped, ms since the epoch.
    let clock: @Sendable () -> Int64
    /// Whether visits may be pending for their leads (``LeadPendingVisits``); true after an
    /// append that changed visits, and at open (a crash may have left some).
    let leadsBehind = Mutex(true)
    /// The latest state of visits the appends committed since the last settle, so a settle
    /// need not read them back (a cache: a visit missing here is read from `visits`).
    let pendingVisits = Mutex<[Int64: Visit]>([:])
    /// Most visits ``pendingVisits`` holds (a few KB each), so memory stays bounded when
    /// settles fall behind or fail.
    static let pendingVisitCacheLimit = 10_000
    /// Copies the WAL back into the file off the writer's path.
    let checkpointer: WALCheckpointer
    /// Held by compaction (which reads and encodes segments outside the writer) and by the
    /// maintenance that would change its rows meanwhile: visit rebuilds, erasure, retention,
    /// VACUUM (which may renumber rowids).
    let maintenance = AsyncLock()

    /// Opens (creating and migrating if needed) the event database at `path`.
    /// - Parameters:
    ///   - sessionizer: the sessionizing rules.
    ///   - durability: what a commit survives (`synchronous` FULL or NORMAL).
    ///   - now: the clock deciding which stored visits are still open (and get their events
    ///     back into the live sessionizer).
    ///   - clock: the time leads are scored at, ms since the epoch.
    public init(
        path: String, sessionizer configuration: Sessionizer.Configuration = .init(), durability: Durability = .full,
        logger: Logger = Logger(label: "footfall.store"), now: Int64 = Timestamp.nowMs(),
        clock: @escaping @Sendable () -> Int64 = { Timestamp.nowMs() }
    ) throws {
        self.path = path
        self.clock = clock
        pool = try SQLiteDatabase.openPool(path: path, durability: durability, autoCheckpoint: false)
        try EventSchema.migrator.migrate(pool)
        checkpointer = try WALCheckpointer(pool, path: path, durability: durability, logger: logger)
        sessionizerConfiguration = configuration
        self.logger = logger
        let events = try pool.read { db in try Self.openVisitEvents(db, configuration: configuration, now: now) }
        sessionizer = Mutex(Sessionizer(configuration: configuration, events: events))
    }

    public func append(_ events: [Event]) async throws -> Int {
        do {
            return try await pool.write { db in
                let insert = try db.cachedStatement(sql: EventRow.insertSQL)
                let compacted = try db.cachedStatement(sql: RecentEventIDs.containsSQL)
                var inserted = 0
                var touched: [Int64: Visit] = [:]
                var removed: Set<Int64> = []
                for event in events {
                    // Hot rows catch retries through the unique index; retries of events
                    // already compacted into segments are caught by their recent ids.
                    guard try Int.fetchOne(compacted, arguments: [event.siteID, event.id]) == nil else { continue }
                    try EventRow.insert(event, insert)
                    guard db.changesCount > 0 else { continue }
                    inserted += 1
                    let changes = self.sessionizer.withLock { $0.ingest(event) }
                    for id in changes.removed {
                        touched[id] = nil
                        removed.insert(id)
                    }
                    for visit in changes.upserted {
                        touched[visit.id] = visit
                        removed.remove(visit.id)
                    }
                }
                // The one place a commit knows every visit it changes.
                try Self.write(visits: Array(touched.values), removing: removed, db)
                try LeadPendingVisits.mark(touched.keys, db)
                try LeadPendingVisits.mark(removed, db)
                if !touched.isEmpty || !removed.isEmpty {
                    self.leadsBehind.withLock { $0 = true }
                    // Only a committed state may be folded: the cache learns it on commit, on
                    // the writer's queue before any other write (a settle) can run.
                    let (changed, gone) = (touched, removed)
                    db.afterNextTransaction { _ in
                        self.pendingVisits.withLock { cache in
                            for id in gone { cache[id] = nil }
                            // Bounded: past the cap only visits already cached are updated,
                            // and the others are read back from `visits` when settled.
                            for (id, visit) in changed where cache.count < Self.pendingVisitCacheLimit || cache[id] != nil {
                                cache[id] = visit
                            }
                        }
                    }
                }
                return inserted
            }
        } catch {
            // The transaction rolled back: forget in-memory folds that never committed.
            try await resetSessionizer()
            throw error
        }
    }

    /// A write transaction that first folds pending visits into their leads: how every
    /// maintenance transaction that deletes, moves or re-derives visits or leads starts.
    func writeSettled<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let now = clock()
        return try await pool.write { db in
            try self.settle(db, now: now)
            return try body(db)
        }
    }

    /// ``LeadPendingVisits/settle(_:limit:now:known:)`` inside the caller's write transaction,
    /// handing it the cached state of the visits it folds.
    @discardableResult
    func settle(_ db: Database, now: Int64, limit: Int = .max) throws -> Int {
        let folded = try LeadPendingVisits.settle(db, limit: limit, now: now) { ids in
            self.pendingVisits.withLock { cache in
                var found: [Int64: Visit] = [:]
                for id in ids {
                    if let visit = cache.removeValue(forKey: id) { found[id] = visit }
                }
                return found
            }
        }
        if folded < limit { leadsBehind.withLock { $0 = false } }
        return folded
    }

    /// Settles everything pending (in steps, like ``settleLeads()``) before a lead read when
    /// visits may be pending. A failed settle is logged and the read goes on over the leads
    /// as last settled (stale rather than unavailable).
    func settleBeforeRead() async {
        guard leadsBehind.withLock({ $0 }) else { return }
        do {
            _ = try await settleLeads()
        } catch {
            logger.error("folding pending visits into leads failed (leads read as last settled): \(error)")
        }
    }

    static func write(visits: [Visit], removing removed: Set<Int64>, _ db: Database) throws {
        let upsert = try db.cachedStatement(sql: VisitRow.upsertSQL)
        let delete = try db.cachedStatement(sql: "DELETE FROM visits WHERE id = ?")
        for id in removed { try delete.execute(arguments: [id]) }
        for visit in visits { try VisitRow.upsert(visit, upsert) }
    }

    /// Rebuilds the live sessionizer from the stored events of open visits.
    func resetSessionizer() async throws {
        let events = try await pool.read { db in
            try Self.openVisitEvents(db, configuration: self.sessionizerConfiguration, now: Timestamp.nowMs())
        }
        sessionizer.withLock { $0 = Sessionizer(configuration: sessionizerConfiguration, events: events) }
    }

    public func visits(_ query: VisitQuery) async throws -> [Visit] {
        try await pool.read { db in
            let (visits, skipped) = try self.visits(db, query)
            self.report(skipped)
            return visits
        }
    }

    /// Visits of ``VisitQuery`` from hot rows and segments, in (start, id) order.
    func visits(_ db: Database, _ query: VisitQuery) throws -> ([Visit], [CorruptSegment]) {
        let after = query.after ?? VisitCursor(startedAt: query.from, visitID: -1)
        let rows = try Row.fetchAll(db, sql: """
            SELECT * FROM visits
            WHERE site_id = ? AND started_at >= ? AND started_at < ? AND (started_at, id) > (?, ?)
            ORDER BY started_at, id LIMIT ?
            """, arguments: [query.siteID, query.from, query.to, after.startedAt, after.visitID, query.limit])
        var visits = try rows.map(VisitRow.visit(from:))
        var skipped: [CorruptSegment] = []
        var cold: [Visit] = []
        let isAfter = { (visit: Visit) in (visit.startedAt, visit.id) > (after.startedAt, after.visitID) }
        for segment in try ColumnSegmentStore.segments(db, siteID: query.siteID, kind: .visits, from: max(query.from, after.startedAt), to: query.to) {
            // Segments come in start order: once `limit` visits precede this segment, stop.
            if cold.count >= query.limit, let last = cold.last, last.startedAt < segment.minTime { break }
            do {
                let batch = try ColumnSegmentStore.batch(db, segment: segment, columns: VisitColumns.allNames)
                cold += VisitColumns.visits(siteID: query.siteID, batch: batch).filter {
                    $0.startedAt >= query.from && $0.startedAt < query.to && isAfter($0)
                }
                cold.sort { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
                if cold.count > query.limit { cold.removeLast(cold.count - query.limit) }
            } catch let corrupt as CorruptSegment {
                skipped.append(corrupt)
            }
        }
        visits += cold
        visits.sort { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
        return (Array(visits.prefix(query.limit)), skipped)
    }

    func report(_ skipped: [CorruptSegment]) {
        for problem in skipped { logger.error("\(problem.description)") }
    }

    /// Closes visits that are final, bounding the live sessionizer's memory.
    @discardableResult
    public func closeIdleVisits(now: Int64 = Timestamp.nowMs()) -> LiveVisitCounts {
        sessionizer.withLock { sessionizer in
            _ = sessionizer.closeIdle(now: now)
            return LiveVisitCounts(
                openVisits: sessionizer.openVisitCount, heldEvents: sessionizer.heldEventCount,
                releasedVisits: sessionizer.takeReleasedVisitCount())
        }
    }

    /// Number of visits the live sessionizer holds open.
    public var openVisitCount: Int { sessionizer.withLock { $0.openVisitCount } }

    /// Hot events of the visitors whose visits are not yet final, from each such visitor's
    /// earliest open visit on, and the beacons the live sessionizer kept from before it: those
    /// stamped up to ``Sessionizer/raceSkewMs`` before it (they may belong to its first page)
    /// and those at or after the final cutoff (their page view may still come), also of
    /// visitors without an open visit, on any site with hot events. What the live sessionizer
    /// needs to continue after a restart; a beacon of a final visit among them joins nothing.
    ///
    /// Read by time, a site at a time (`events_by_site_time`), and kept when their visitor's
    /// open visits started by then: an index by visitor would take every insert to a random
    /// page of it, a third of the log's bytes per event (v11 dropped it).
    static func openVisitEvents(_ db: Database, configuration: Sessionizer.Configuration, now: Int64) throws -> [Event] {
        let cutoff = configuration.finalCutoff(now: now)
        // Site → visitor → start of the visitor's earliest open visit, ms since the epoch.
        var since: [Int64: [Int64: Int64]] = [:]
        let open = try Row.fetchCursor(db, sql: """
            SELECT site_id, visitor_id, MIN(started_at) FROM visits WHERE ended_at >= ? GROUP BY site_id, visitor_id
            """, arguments: [cutoff])
        while let row = try open.next() {
            since[row[0], default: [:]][row[1]] = row[2]
        }
        // Sites with no open visit may still hold beacons waiting for their page view: every
        // site with hot events, one index seek each.
        var site = Int64.min
        let nextSite = try db.cachedStatement(sql: "SELECT site_id FROM events WHERE site_id > ? ORDER BY site_id LIMIT 1")
        while let next = try Int64.fetchOne(nextSite, arguments: [site]) {
            if since[next] == nil { since[next] = [:] }
            site = next
        }
        var events: [Event] = []
        for (siteID, visitors) in since {
            let earliest = visitors.values.min().map { $0 - Sessionizer.raceSkewMs } ?? cutoff
            let rows = try Row.fetchCursor(
                db, sql: "SELECT * FROM events WHERE site_id = ? AND ts >= ?",
                arguments: [siteID, min(earliest, cutoff)])
            while let row = try rows.next() {
                let visitorID: Int64 = row["visitor_id"], time: Int64 = row["ts"], type: String = row["type"]
                let start = visitors[visitorID]
                let beaconFrom = start.map { min($0 - Sessionizer.raceSkewMs, cutoff) } ?? cutoff
                guard time >= (start ?? .max) || (type != EventType.pageview.rawValue && time >= beaconFrom) else { continue }
                events.append(EventRow.event(from: row))
            }
        }
        return events
    }
}
