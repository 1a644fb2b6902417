import FootfallCore
import FootfallStore
import Foundation

/// `make bench leads`: the Lead API's list endpoint on generated traffic (default 300,000 page
/// views from 20,000 organisations; `FOOTFALL_BENCH_PAGEVIEWS`, `FOOTFALL_BENCH_ORGANISATIONS`;
/// the issue's shape is 10M generated page views, which took 1 h 7 min to load on 2 cores).
/// `FOOTFALL_BENCH_KEEP=DIR` writes the data to DIR and keeps it; when DIR already holds a
/// finished load, the load is skipped and only the measurement runs again.
///
/// The traffic is written through the store as ingest would (leads maintained in the visit
/// commit), then `Benchmarks/leads_reference.py` starts the release `footfall serve` on the
/// data directory and times `GET /api/v1/leads?site&from&to&limit=100` over 200 requests
/// (keep-alive, loopback), and times DuckDB computing the same lead aggregates from the
/// same visits (a native DuckDB file) as the reference. Goal: p99 ≤ 50 ms.
struct LeadsBenchmark: Benchmark {
    let name = "leads"

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let size = Int(environment["FOOTFALL_BENCH_PAGEVIEWS"] ?? "") ?? 300_000
        let organisations = Int(environment["FOOTFALL_BENCH_ORGANISATIONS"] ?? "") ?? 20_000
        let kept = environment["FOOTFALL_BENCH_KEEP"].flatMap { $0.isEmpty ? nil : $0 }
        let directory = kept ?? NSTemporaryDirectory() + "footfall-bench-leads-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if kept == nil { try? FileManager.default.removeItem(atPath: directory) } }
        let loaded = directory + "/loaded.json"
        if let data = FileManager.default.contents(atPath: loaded) {
            let load = try JSONDecoder().decode(Load.self, from: data)
            print("  reusing the load in \(directory): \(load.pageviews) page views")
            try measure(directory: directory, load: load)
            return
        }

        let catalog = try Catalog(path: directory + "/catalog.sqlite")
        let tenant = try await catalog.tenant(named: "bench")
        let site = try await catalog.createSite(tenantID: tenant.id, name: "Bench", domains: ["bench.example"])
        let (secret, _) = try await catalog.createAPIKey(tenantID: tenant.id, name: "bench", scopes: [.leadsRead])
        let store = try SQLiteEventStore(path: directory + "/events.sqlite")
        try await store.registerLeadSites([site])

        var configuration = TrafficGenerator.Configuration(pageviews: size)
        configuration.siteID = site.id
        configuration.organisations = organisations
        var generator = TrafficGenerator(configuration: configuration)
        var pageviews = 0
        var chunks = 0
        let writeSeconds = try await timeAsync {
            while !generator.isFinished {
                let chunk = generator.nextChunk()
                let humans = chunk.filter { !$0.userAgent.isBot }
                pageviews += humans.count(where: { $0.type == .pageview })
                for batch in stride(from: 0, to: humans.count, by: Self.transaction) {
                    _ = try await store.append(Array(humans[batch..<min(batch + Self.transaction, humans.count)]))
                }
                guard let now = chunk.last?.timestamp else { continue }
                store.closeIdleVisits(now: now)
                chunks += 1
                // As the server's janitor does, minute by minute: hot tables stay small.
                if chunks % 5 == 0 { _ = try await store.compact(now: now, minimumRows: 10_000) }
            }
            _ = try await store.compact()
        }
        let visitsCSV = try CSVFile(path: directory + "/visits.csv", header: VisitCSV.visitHeader)
        let range = AnalyticsRange(siteID: site.id)
        _ = try await store.exportVisits(range) { visit in try visitsCSV.write([VisitCSV.visitLine(visit)]) }
        try visitsCSV.close()
        let hours = try await store.timeSeries(range, bucket: .hour).rows
        let first = hours.first!.bucketStart, last = hours.last!.bucketStart + 3_600_000
        let from = first + (last - first) / 10, to = last - (last - first) / 10
        print("  \(pageviews) page views, \(organisations) organisations written in \(Report.format(writeSeconds)) s "
              + "(\(Report.format(Double(pageviews) / writeSeconds)) page views/s with lead maintenance and compaction)")
        let load = Load(pageviews: pageviews, site: site.key, siteID: site.id, key: secret, from: from, to: to)
        if kept != nil { try JSONEncoder().encode(load).write(to: URL(fileURLWithPath: loaded)) }
        try measure(directory: directory, load: load)
    }

    /// A finished load, as `loaded.json` in a kept directory records it (the key is a
    /// benchmark-only key of a throwaway catalog).
    struct Load: Codable {
        var pageviews: Int
        var site: String
        var siteID: Int64
        var key: String
        var from: Int64
        var to: Int64
    }

    func measure(directory: String, load: Load) throws {
        let answer = try LeadsReference.run(
            directory: directory, site: load.site, siteID: load.siteID, key: load.key, from: load.from, to: load.to)
        print("  leads returned per request: \(answer.leads) (limit 100)")
        Report.compare("GET /api/v1/leads p50", answer.api_p50_ms, reference: "DuckDB same aggregates p50", answer.duckdb_p50_ms, "ms")
        Report.compare("GET /api/v1/leads p99", answer.api_p99_ms, reference: "DuckDB same aggregates p99", answer.duckdb_p99_ms, "ms")
        print("  goal p99 ≤ 50 ms: \(answer.api_p99_ms <= 50 ? "met" : "MISSED")")
    }

    /// Events per append while loading. The server's group commit takes at most 2,000; a
    /// larger transaction folds more of a visit's events into one lead update, which makes
    /// loading 10M page views take about an hour instead of several.
    static let transaction = 20_000

    func timeAsync(_ body: () async throws -> Void) async throws -> Double {
        let started = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Runs `Benchmarks/leads_reference.py` and reads its JSON answer.
enum LeadsReference {
    struct Answer: Decodable {
        var leads: Int
        var api_p50_ms: Double
        var api_p99_ms: Double
        var duckdb_p50_ms: Double
        var duckdb_p99_ms: Double
    }

    static func run(directory: String, site: String, siteID: Int64, key: String, from: Int64, to: Int64) throws -> Answer {
        try PythonReference.run(
            "Benchmarks/leads_reference.py", arguments: [directory, site, "\(siteID)", "\(from)", "\(to)"],
            environment: ["FOOTFALL_BENCH_KEY": key], hint: "FOOTFALL_BIN set? duckdb and requests installed?")
    }
}
