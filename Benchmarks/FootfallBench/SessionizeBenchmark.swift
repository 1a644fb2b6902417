import FootfallCore

/// Sessionizer throughput on a synthetic stream (page views of many interleaved visitors),
/// against a reference that only groups the same events by visitor in a dictionary.
struct SessionizeBenchmark: Benchmark {
    let name = "sessionize"

    func run() async throws {
        let events = (0..<500_000).map { index in
            Event(
                id: "e\(index)", siteID: 1, visitorID: VisitorID(index % 20_000), type: .pageview,
                timestamp: 1_700_000_000_000 + Int64(index) * 50, url: "https://acme.com/p\(index % 300)",
                path: "/p\(index % 300)", pageLoadID: "pl\(index)")
        }
        var sessionizer = Sessionizer()
        var pages = 0
        let seconds = Report.time {
            for event in events { pages += (sessionizer.fold(event)?.pageviews ?? 0) > 0 ? 1 : 0 }
        }
        var grouped: [VisitorID: [String]] = [:]
        let referenceSeconds = Report.time {
            for event in events { grouped[event.visitorID, default: []].append(event.path) }
        }
        precondition(pages == events.count && grouped.count == 20_000)
        Report.compare(
            "sessionize", Double(events.count) / seconds, reference: "dictionary group-by",
            Double(events.count) / referenceSeconds, "page views/s")
    }
}
