import FootfallCore
import Foundation
import GRDB
import Synchronization

/// The embedded event store: events and visits in one WAL-mode SQLite file.
///
/// Every ``append(_:)`` is one transaction that inserts the new events and upserts the
/// visits they touch, so visits always match the committed event log.
public final class SQLiteEventStore: EventStore {
    let pool: DatabasePool
    let sessionizerConfiguration: Sessionizer.Configuration
    private let sessionizer: Mutex<Sessionizer>

    /// Opens (creating and migrating if needed) the event database at `path`.
    public init(path: String, sessionizer configuration: Sessionizer.Configuration = .init()) throws {
        pool = try SQLiteDatabase.openPool(path: path)
        try EventSchema.migrator.migrate(pool)
        sessionizerConfiguration = configuration
        let open = try Self.loadOpenVisits(pool, configuration: configuration, now: Timestamp.nowMs())
        sessionizer = Mutex(Sessionizer(configuration: configuration, openVisits: open))
    }

    public func append(_ events: [Event]) async throws -> Int {
        do {
            return try await pool.write { db in
                let insert = try db.cachedStatement(sql: EventRow.insertSQL)
                let upsert = try db.cachedStatement(sql: VisitRow.upsertSQL)
                var inserted = 0
                var touched: [Int64: Visit] = [:]
                for event in events {
                    try insert.execute(arguments: EventRow.arguments(event))
                    guard db.changesCount > 0 else { continue }
                    inserted += 1
                    let visit = self.sessionizer.withLock { $0.fold(event) }
                    touched[visit.id] = visit
                }
                for visit in touched.values {
                    try upsert.execute(arguments: VisitRow.arguments(visit))
                }
                return inserted
            }
        } catch {
            // The transaction rolled back: forget in-memory folds that never committed.
            let open = try await pool.read { db in
                try Self.openVisits(db, configuration: self.sessionizerConfiguration, now: Timestamp.nowMs())
            }
            sessionizer.withLock { $0 = Sessionizer(configuration: sessionizerConfiguration, openVisits: open) }
            throw error
        }
    }

    public func visits(_ query: VisitQuery) async throws -> [Visit] {
        try await pool.read { db in
            let after = query.after ?? VisitCursor(startedAt: query.from, visitID: -1)
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM visits
                WHERE site_id = ? AND started_at >= ? AND started_at < ? AND (started_at, id) > (?, ?)
                ORDER BY started_at, id LIMIT ?
                """, arguments: [query.siteID, query.from, query.to, after.startedAt, after.visitID, query.limit])
            return try rows.map(VisitRow.visit(from:))
        }
    }

    /// Closes visits that have been idle past the inactivity timeout, bounding memory.
    public func closeIdleVisits(now: Int64 = Timestamp.nowMs()) {
        _ = sessionizer.withLock { $0.closeIdle(now: now) }
    }

    /// Number of visits the live sessionizer holds open.
    public var openVisitCount: Int { sessionizer.withLock { $0.openVisitCount } }

    static func loadOpenVisits(_ pool: DatabasePool, configuration: Sessionizer.Configuration, now: Int64) throws -> [Visit] {
        try pool.read { db in try openVisits(db, configuration: configuration, now: now) }
    }

    static func openVisits(_ db: Database, configuration: Sessionizer.Configuration, now: Int64) throws -> [Visit] {
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM visits WHERE ended_at >= ? ORDER BY ended_at",
            arguments: [now - configuration.inactivityMs])
        return try rows.map(VisitRow.visit(from:))
    }
}
