import FootfallCore
import FootfallStore
import Foundation
import Synchronization

/// How long ingest waits while the compactor runs: one-event appends (a beacon each, as the
/// server's writer commits them under light load) every 2 ms while a store holding final
/// visits compacts, beside the same appends on the same store with no compaction running,
/// measured just before. Figures are the longest and the 99th-percentile append, in ms.
/// Size: `FOOTFALL_BENCH_STALL_PAGEVIEWS` (default 100,000 generated page views).
struct CompactionStallBenchmark: Benchmark {
    let name = "compaction-stall"

    func run() async throws {
        let size = Int(ProcessInfo.processInfo.environment["FOOTFALL_BENCH_STALL_PAGEVIEWS"] ?? "") ?? 100_000
        var configuration = TrafficGenerator.Configuration(pageviews: size)
        configuration.botShare = 0
        let traffic = TrafficGenerator.events(configuration)
        let directory = NSTemporaryDirectory() + "footfall-bench-stall-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteEventStore(path: directory + "/events.sqlite", now: configuration.start)
        for offset in stride(from: 0, to: traffic.count, by: 2_000) {
            _ = try await store.append(Array(traffic[offset..<min(offset + 2_000, traffic.count)]))
        }
        // Every generated visit is final three hours after the last event; the probe's own
        // events are stamped then, so they stay hot.
        let now = traffic.last!.timestamp + 3 * 3_600_000
        try await store.settleLeads()

        let idle = try await probe(store, at: now, while: { try await Task.sleep(for: .seconds(2)) })
        let compacting = Task { try await store.compact(now: now) }
        let busy = try await probe(store, at: now + 10_000, while: { _ = try await compacting.value })
        let result = try await compacting.value
        print("  compacted \(result.visits) visits and \(result.events) events into \(result.segments) segments")
        Report.compare("longest append while compacting", busy.longest, reference: "with no compaction", idle.longest, "ms")
        Report.compare("p99 append while compacting", busy.p99, reference: "with no compaction", idle.p99, "ms")
    }

    /// One-event appends every 2 ms until `work` returns: the longest and the p99 append, ms.
    func probe(_ store: SQLiteEventStore, at start: Int64, while work: @escaping @Sendable () async throws -> Void) async throws
        -> (longest: Double, p99: Double)
    {
        let finished = Finished()
        let task = Task {
            defer { finished.flag.withLock { $0 = true } }
            try await work()
        }
        var latencies: [Double] = []
        var sequence: Int64 = 0
        repeat {
            sequence += 1
            let event = Event(
                id: "probe-\(start)-\(sequence)", siteID: 1, visitorID: sequence, type: .pageview, timestamp: start + sequence,
                url: "https://acme.example/probe", path: "/probe")
            let started = ContinuousClock.now
            _ = try await store.append([event])
            latencies.append(WriterBenchmark.seconds(since: started) * 1_000)
            try await Task.sleep(for: .milliseconds(2))
        } while !finished.flag.withLock({ $0 })
        try await task.value
        latencies.sort()
        return (latencies.last ?? 0, latencies[min(latencies.count - 1, latencies.count * 99 / 100)])
    }

    final class Finished: Sendable {
        let flag = Mutex(false)
    }
}
