import FootfallCore
import FootfallStore
import Foundation

/// The columnar store on realistic generated traffic (Zipf pages, 1–20 page views per
/// visit, thousands of organisations, bots dropped as ingest would):
/// sessionize + write throughput, bytes per page view after compaction against the same
/// store's row tables and a native DuckDB file of the same data, and the query set's
/// latency against the same queries in DuckDB. Size: `FOOTFALL_BENCH_PAGEVIEWS`
/// (default 1,000,000; 10,000,000 takes about ten times as long).
struct ColumnarBenchmark: Benchmark {
    let name = "columnar"

    func run() async throws {
        let size = Int(ProcessInfo.processInfo.environment["FOOTFALL_BENCH_PAGEVIEWS"] ?? "") ?? 1_000_000
        let directory = NSTemporaryDirectory() + "footfall-bench-columnar-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteEventStore(path: directory + "/events.sqlite")

        // Sessionize + write, in group-commit sized batches; events also go to CSV for DuckDB.
        var generator = TrafficGenerator(configuration: .init(pageviews: size))
        let events = try CSVFile(path: directory + "/events.csv", header: EventCSV.header)
        var pageviews = 0, bots = 0, writeSeconds = 0.0, sessionizeSeconds = 0.0
        var sessionizer = Sessionizer()
        while !generator.isFinished {
            let chunk = generator.nextChunk()
            let humans = chunk.filter { !$0.userAgent.isBot }
            bots += chunk.count - humans.count
            pageviews += humans.count(where: { $0.type == .pageview })
            for batch in stride(from: 0, to: humans.count, by: 2_000) {
                let slice = Array(humans[batch..<min(batch + 2_000, humans.count)])
                let started = ContinuousClock.now
                _ = try await store.append(slice)
                writeSeconds += seconds(since: started)
            }
            sessionizeSeconds += Report.time { for event in humans { _ = sessionizer.ingest(event) } }
            // As the server's janitor does: release final visits (the stream's clock is synthetic).
            if let now = chunk.last?.timestamp {
                store.closeIdleVisits(now: now)
                _ = sessionizer.closeIdle(now: now)
            }
            try events.write(humans.map(EventCSV.line))
        }
        try events.close()
        print("  \(pageviews) page views (\(bots) bot events dropped)")
        Report.compare("sessionize + write", Double(pageviews) / writeSeconds, reference: "sessionize only, in memory",
                       Double(pageviews) / sessionizeSeconds, "page views/s")

        try await store.vacuum()
        let rowBytes = store.fileBytes()
        let compactSeconds = try await timeAsync { try await store.compact() }
        try await store.vacuum()
        let columnarBytes = store.fileBytes()
        Report.figure("compaction", Double(pageviews) / compactSeconds, "page views/s")

        // The same visits for DuckDB, from the store's own export.
        let visitsCSV = try CSVFile(path: directory + "/visits.csv", header: VisitCSV.visitHeader)
        let pagesCSV = try CSVFile(path: directory + "/pages.csv", header: VisitCSV.pageHeader)
        _ = try await store.exportVisits(AnalyticsRange(siteID: 1)) { visit in
            try visitsCSV.write([VisitCSV.visitLine(visit)])
            try pagesCSV.write(VisitCSV.pageLines(visit))
        }
        try visitsCSV.close()
        try pagesCSV.close()

        // The middle 80% of the traffic's hours: most data, but segments at both ends cut.
        let hours = try await store.timeSeries(AnalyticsRange(siteID: 1), bucket: .hour).rows
        let first = hours.first!.bucketStart, last = hours.last!.bucketStart + 3_600_000
        let range = AnalyticsRange(siteID: 1, from: first + (last - first) / 10, to: last - (last - first) / 10)
        let organisation = try await store.organisations(range, limit: 1).rows.first?.organisation ?? ""
        let duck = try DuckDBReference.run(directory: directory, range: range, organisation: organisation)

        let inRange = try await store.timeSeries(range, bucket: .day).rows.map(\.visits).reduce(0, +)
        print("  query range: \(inRange) visits of \(hours.map(\.visits).reduce(0, +))")
        Report.compare("bytes per page view (columnar, all files)", Double(columnarBytes) / Double(pageviews),
                       reference: "DuckDB native file", Double(duck.bytes) / Double(pageviews), "B")
        Report.compare("bytes per page view (columnar, all files)", Double(columnarBytes) / Double(pageviews),
                       reference: "SQLite row tables + indexes", Double(rowBytes) / Double(pageviews), "B")

        var worst = (name: "", ratio: 0.0)
        for (name, query) in querySet(store, range: range, organisation: organisation) {
            var best = Double.infinity
            for _ in 0..<3 { best = min(best, try await timeAsync(query)) }
            let reference = duck.milliseconds[name] ?? .nan
            Report.compare("query \(name)", best * 1000, reference: "DuckDB", reference, "ms")
            if best * 1000 / reference > worst.ratio { worst = (name, best * 1000 / reference) }
        }
        Report.figure("worst query ratio vs DuckDB (\(worst.name))", worst.ratio, "×")
    }

    func querySet(_ store: SQLiteEventStore, range: AnalyticsRange, organisation: String) -> [(String, () async throws -> Void)] {
        var queries: [(String, () async throws -> Void)] = [
            ("timeseries(hour)", { _ = try await store.timeSeries(range, bucket: .hour) }),
            ("timeseries(day)", { _ = try await store.timeSeries(range, bucket: .day) }),
            ("top pages", { _ = try await store.topPages(range) }),
            ("organisations", { _ = try await store.organisations(range) }),
            ("organisation visits", { _ = try await store.organisationVisits(range, organisation: organisation) }),
            ("raw visit export", { _ = try await store.exportVisits(range) { _ in } }),
        ]
        for dimension in [VisitDimension.entryPage, .exitPage, .source, .medium, .campaign, .device, .browser, .os, .country] {
            queries.append(("by \(dimension.rawValue)", { _ = try await store.breakdown(range, by: dimension) }))
        }
        return queries
    }

    func timeAsync(_ body: () async throws -> Void) async throws -> Double {
        let started = ContinuousClock.now
        try await body()
        return seconds(since: started)
    }

    func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// Runs `Benchmarks/duckdb_reference.py` on the CSV files and reads its JSON answer.
enum DuckDBReference {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    struct Answer: Decodable {
        var bytes: Int64
        var ms: [String: Double]
        var milliseconds: [String: Double] { ms }
    }

    static func run(directory: String, range: AnalyticsRange, organisation: String) throws -> Answer {
        try PythonReference.run(
            "Benchmarks/duckdb_reference.py",
            arguments: [directory, "\(range.siteID)", "\(range.from)", "\(range.to)", organisation],
            hint: "is the duckdb Python package installed?")
    }
}

/// Runs a same-run reference script (`python3 SCRIPT ARGS…`) and decodes the JSON it prints.
enum PythonReference {
    /// - Parameter environment: added to this process's environment (secrets go here, not in
    ///   arguments other users could read).
    /// - Throws: ``DuckDBReference/Failure`` naming the script and `hint` when it exits non-zero.
    static func run<Answer: Decodable>(
        _ script: String, arguments: [String], environment: [String: String] = [:], hint: String
    ) throws -> Answer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw DuckDBReference.Failure(message: "\(script) failed (\(hint))") }
        return try JSONDecoder().decode(Answer.self, from: data)
    }
}

/// A CSV file written line by line (RFC 4180 quoting).
final class CSVFile {
    let handle: FileHandle

    init(path: String, header: [String]) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)  // a failure surfaces as FileHandle's error
        handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try write([header.joined(separator: ",")])
    }

    func write(_ lines: [String]) throws {
        guard !lines.isEmpty else { return }
        try handle.write(contentsOf: Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    func close() throws { try handle.close() }

    static func quote(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

/// Events as CSV rows with the columns of the store's `events` table.
enum EventCSV {
    static let header = [
        "site_id", "event_id", "visitor_id", "type", "ts", "url", "path", "referrer", "page_load_id", "spa",
        "screen_w", "screen_h", "viewport_w", "viewport_h", "language", "time_zone", "engaged_ms", "max_scroll",
        "click_target", "custom_name", "custom_props", "browser", "browser_version", "os", "os_version", "device",
        "medium", "source", "campaign", "organisation", "org_domain", "asn", "network_type", "country",
    ]

    static func line(_ event: Event) -> String {
        let q = CSVFile.quote
        return [
            "\(event.siteID)", q(event.id), "\(event.visitorID)", event.type.rawValue, "\(event.timestamp)", q(event.url),
            q(event.path), q(event.referrer), q(event.pageLoadID), event.isSPANavigation ? "1" : "0",
            "\(event.screen.width)", "\(event.screen.height)", "\(event.screen.viewportWidth)", "\(event.screen.viewportHeight)",
            q(event.language), q(event.timeZone), "\(event.engagedMs)", "\(event.maxScrollPercent)", q(event.clickTarget),
            q(event.customName), q(event.customProps), q(event.userAgent.browser), q(event.userAgent.browserVersion),
            q(event.userAgent.os), q(event.userAgent.osVersion), event.userAgent.device.rawValue, event.source.medium.rawValue,
            q(event.source.source), q(event.source.campaign), q(event.network.organisation), q(event.network.domain),
            "\(event.network.asn)", event.network.networkType.rawValue, q(event.network.country),
        ].joined(separator: ",")
    }
}

/// Visits and their page views as CSV rows (a visits table and a pages table).
enum VisitCSV {
    static let visitHeader = [
        "id", "site_id", "visitor_id", "started_at", "ended_at", "entry_page", "exit_page", "pageviews", "engaged_ms",
        "max_scroll", "clicks", "custom_events", "referrer", "medium", "source", "campaign", "browser", "browser_version",
        "os", "os_version", "device", "organisation", "org_domain", "asn", "network_type", "country",
    ]
    static let pageHeader = ["visit_id", "site_id", "started_at", "path", "viewed_at", "load_id", "engaged_ms", "max_scroll"]

    static func visitLine(_ visit: Visit) -> String {
        let q = CSVFile.quote
        return [
            "\(visit.id)", "\(visit.siteID)", "\(visit.visitorID)", "\(visit.startedAt)", "\(visit.endedAt)", q(visit.entryPage),
            q(visit.exitPage), "\(visit.pageviews)", "\(visit.engagedMs)", "\(visit.maxScrollPercent)", "\(visit.clicks)",
            "\(visit.customEvents)", q(visit.referrer), visit.source.medium.rawValue, q(visit.source.source),
            q(visit.source.campaign), q(visit.userAgent.browser), q(visit.userAgent.browserVersion), q(visit.userAgent.os),
            q(visit.userAgent.osVersion), visit.userAgent.device.rawValue, q(visit.network.organisation),
            q(visit.network.domain), "\(visit.network.asn)", visit.network.networkType.rawValue, q(visit.network.country),
        ].joined(separator: ",")
    }

    static func pageLines(_ visit: Visit) -> [String] {
        visit.pages.map { page in
            [
                "\(visit.id)", "\(visit.siteID)", "\(visit.startedAt)", CSVFile.quote(page.path), "\(page.viewedAt)",
                CSVFile.quote(page.pageLoadID), "\(page.engagedMs)", "\(page.maxScrollPercent)",
            ].joined(separator: ",")
        }
    }
}
