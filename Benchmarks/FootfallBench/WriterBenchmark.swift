import FootfallCore
import FootfallStore
import Foundation
import GRDB

/// The event writer alone (no HTTP): generated traffic appended in 1k-event group commits
/// with sessionizing and visit upserts, leads settled beside it as the server does,
/// `synchronous=FULL`, against the SQLite floor measured in the same run — prepared INSERTs
/// of the same rows into the same columns, 1k rows per transaction, same pragmas, nothing else.
struct WriterBenchmark: Benchmark {
    let name = "writer"
    static let batch = 1_000

    func run() async throws {
        var configuration = TrafficGenerator.Configuration(pageviews: 100_000)
        configuration.botShare = 0
        let events = TrafficGenerator.events(configuration)
        let directory = NSTemporaryDirectory() + "footfall-writer-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let store = try SQLiteEventStore(path: directory + "/events.sqlite", now: configuration.start)
        let start = ContinuousClock.now
        // Leads follow the visit commit as in the server (LeadMaintenanceService settles
        // every 500 ms); the time counts until every lead is settled.
        let follower = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                _ = try? await store.settleLeads()
            }
        }
        for offset in stride(from: 0, to: events.count, by: Self.batch) {
            _ = try await store.append(Array(events[offset..<min(offset + Self.batch, events.count)]))
        }
        follower.cancel()
        await follower.value
        try await store.settleLeads()
        let writerSeconds = Self.seconds(since: start)

        let floorSeconds = try Self.floor(events, path: directory + "/floor.sqlite")
        Report.compare(
            "writer (group commit + sessionizer + visits + leads)", Double(events.count) / writerSeconds,
            reference: "SQLite floor, prepared INSERTs, 1k rows/transaction", Double(events.count) / floorSeconds, "events/s")
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static let columns = """
        site_id, event_id, visitor_id, type, ts, url, path, referrer, page_load_id, spa,
        screen_w, screen_h, viewport_w, viewport_h, language, time_zone, engaged_ms, max_scroll,
        click_target, custom_name, custom_props, browser, browser_version, os, os_version, device,
        medium, source, campaign, organisation, org_domain, asn, network_type, country, stored_ip
        """

    /// Seconds to insert `events` as plain rows (one unique index on (site, event id), as the
    /// real table has) in 1k-row transactions.
    static func floor(_ events: [Event], path: String) throws -> Double {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -16000")  // the store writer's
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // After opening, as the store does: GRDB's WAL setup sets the writer to NORMAL after
        // `prepareDatabase`.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try pool.write { db in
            try db.execute(sql: "CREATE TABLE events (\(columns), UNIQUE (site_id, event_id))")
        }
        let placeholders = Array(repeating: "?", count: 35).joined(separator: ",")
        let start = ContinuousClock.now
        for offset in stride(from: 0, to: events.count, by: batch) {
            try pool.write { db in
                let insert = try db.cachedStatement(sql: "INSERT INTO events (\(columns)) VALUES (\(placeholders))")
                for event in events[offset..<min(offset + batch, events.count)] {
                    let values: [(any DatabaseValueConvertible)?] = [
                        event.siteID, event.id, event.visitorID, event.type.rawValue, event.timestamp, event.url,
                        event.path, event.referrer, event.pageLoadID, event.isSPANavigation,
                        event.screen.width, event.screen.height, event.screen.viewportWidth, event.screen.viewportHeight,
                        event.language, event.timeZone, event.engagedMs, event.maxScrollPercent,
                        event.clickTarget, event.customName, event.customProps,
                        event.userAgent.browser, event.userAgent.browserVersion, event.userAgent.os,
                        event.userAgent.osVersion, event.userAgent.device.rawValue,
                        event.source.medium.rawValue, event.source.source, event.source.campaign,
                        event.network.organisation, event.network.domain, event.network.asn,
                        event.network.networkType.rawValue, event.network.country, event.network.storedIP,
                    ]
                    try insert.execute(arguments: StatementArguments(values))
                }
            }
        }
        return seconds(since: start)
    }
}
