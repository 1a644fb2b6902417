import FootfallCore
import FootfallStore
import Foundation

/// The ClickHouse backend beside the embedded store, on the same generated page views
/// (`FOOTFALL_BENCH_PAGEVIEWS`, default 1M): events/s one ingest node stores with acks
/// (appends of 1k events, visits re-derived, leads settled beside it as the server does),
/// bytes per page view on disk after both stores merged (ClickHouse `OPTIMIZE … FINAL`,
/// SQLite compaction + `VACUUM`), and the top-pages and lead-list queries on both. Needs
/// `FOOTFALL_CLICKHOUSE_URL` (Benchmarks/run.sh starts scripts/clickhouse-local.sh).
struct ClickHouseBenchmark: Benchmark {
    let name = "clickhouse"
    static let batch = 1_000

    func run() async throws {
        guard let url = ProcessInfo.processInfo.environment["FOOTFALL_CLICKHOUSE_URL"] else {
            throw BenchmarkSetupError("FOOTFALL_CLICKHOUSE_URL is not set (start one with scripts/clickhouse-local.sh)")
        }
        var configuration = TrafficGenerator.Configuration(
            pageviews: Int(ProcessInfo.processInfo.environment["FOOTFALL_BENCH_PAGEVIEWS"] ?? "") ?? 1_000_000)
        configuration.botShare = 0
        let events = TrafficGenerator.events(configuration)
        let pageviews = events.filter { $0.type == .pageview }.count
        let site = Site(id: 1, tenantID: 1, key: "s_bench", name: "Bench", domains: ["example.com"])
        let directory = NSTemporaryDirectory() + "footfall-clickhouse-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        print("  \(events.count) events, \(pageviews) page views")

        var location = try ClickHouseLocation(url: url)
        location.database = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let clickHouse = try await ClickHouseEventStore.open(location, leadsPath: directory + "/leads.sqlite")
        let embedded = try SQLiteEventStore(path: directory + "/events.sqlite", now: configuration.start)
        try await clickHouse.registerLeadSites([site])
        try await embedded.registerLeadSites([site])

        let clickHouseRate = Double(events.count) / (try await Self.ingest(events, into: clickHouse))
        let embeddedRate = Double(events.count) / (try await Self.ingest(events, into: embedded))
        Report.compare("ClickHouse, one node (events + visits + leads, acked)", clickHouseRate,
                       reference: "embedded SQLite store, same events", embeddedRate, "events/s")

        try await clickHouse.vacuum()
        embedded.closeIdleVisits(now: .max)
        try await embedded.compact(now: .max, minimumRows: 0)
        try await embedded.vacuum()
        let clickHouseBytes = try await clickHouse.bytesOnDisk()
        Report.compare("bytes per page view, ClickHouse (events + visits, merged)", Double(clickHouseBytes) / Double(pageviews),
                       reference: "embedded store file, compacted + vacuumed", Double(embedded.fileBytes()) / Double(pageviews), "B")

        let range = AnalyticsRange(siteID: site.id)
        let clickHousePages = try await Self.milliseconds { _ = try await clickHouse.topPages(range, limit: 10) }
        let embeddedPages = try await Self.milliseconds { _ = try await embedded.topPages(range, limit: 10) }
        Report.compare("top pages, all page views", clickHousePages, reference: "embedded store", embeddedPages, "ms")
        let query = LeadQuery(siteIDs: [site.id])
        let clickHouseLeads = try await Self.milliseconds { _ = try await clickHouse.leadDocuments(query) }
        let embeddedLeads = try await Self.milliseconds { _ = try await embedded.leadDocuments(query) }
        Report.compare("lead list, first page by score", clickHouseLeads, reference: "embedded store", embeddedLeads, "ms")
    }

    /// Seconds to append `events` in batches with a settle every 500 ms beside, and a final settle.
    static func ingest(_ events: [Event], into store: any StorageBackend) async throws -> Double {
        let start = ContinuousClock.now
        let follower = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                _ = try? await store.settleLeads()
            }
        }
        for offset in stride(from: 0, to: events.count, by: batch) {
            _ = try await store.append(Array(events[offset..<min(offset + batch, events.count)]))
        }
        follower.cancel()
        await follower.value
        try await store.settleLeads()
        return WriterBenchmark.seconds(since: start)
    }

    /// Median milliseconds of five runs of `body` after one warm-up.
    static func milliseconds(_ body: () async throws -> Void) async throws -> Double {
        try await body()
        var runs: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            try await body()
            runs.append(WriterBenchmark.seconds(since: start) * 1000)
        }
        return runs.sorted()[2]
    }
}

/// A benchmark cannot run on this machine as set up; the message says what is missing.
struct BenchmarkSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
