import FootfallCore
@testable import FootfallStore
import Testing

/// A storage backend under test: opens a fresh, empty store in a directory, scoring leads
/// at a test clock.
struct Backend: Sendable, CustomTestStringConvertible {
    let name: String
    /// Whether ``StoreMaintenance/compact(now:minimumRows:)`` moves visits (into columnar
    /// segments); ClickHouse stores columns already.
    let compactionMovesVisits: Bool
    let open: @Sendable (TemporaryDirectory, TestClock) async throws -> any StorageBackend

    var testDescription: String { name }

    /// Every backend the conformance suite runs against: SQLite, and ClickHouse when
    /// `FOOTFALL_CLICKHOUSE_URL` names a server (`make test` starts one).
    static let all: [Backend] = {
        var backends = [Backend(name: "sqlite", compactionMovesVisits: true) { directory, clock in
            try SQLiteEventStore(path: directory.path + "/events.sqlite", clock: { clock.now })
        }]
        if let url = EventBackend.clickHouseURL {
            backends.append(Backend(name: "clickhouse", compactionMovesVisits: false) { directory, clock in
                var location = try ClickHouseLocation(url: url)
                location.database = EventBackend.freshDatabase()
                return try await ClickHouseEventStore.open(location, leadsPath: directory.path + "/leads.sqlite", clock: { clock.now })
            })
        }
        return backends
    }()
}

/// What every storage backend must do, checked through the storage protocols only: the same
/// generated traffic, delivered out of order with a compaction in the middle, gives the
/// visits of the pure ``Sessionizer``, the leads of the pure ``LeadAccumulator``, stats
/// computed from those visits, and erasure and retention that remove exactly their part.
@Suite struct StoreConformanceTests {
    static let site = LeadStoreTests.site
    static let traffic = LeadStoreTests.traffic
    static let expected = Sessionizer.visits(from: traffic)
    static let start = traffic.first!.timestamp
    static let middle = (start + LeadStoreTests.end) / 2

    /// A store that took `traffic` in arrival order (each event up to two minutes late), with
    /// a compaction at the middle of the traffic: the older visits compacted, the rest hot.
    static func loaded(_ backend: Backend, _ directory: TemporaryDirectory) async throws -> any StorageBackend {
        let store = try await backend.open(directory, TestClock(LeadStoreTests.scoredAt))
        try await store.registerLeadSites([site])
        let arrivals = LeadStoreTests.disordered(traffic, seed: 11)
        let half = arrivals.firstIndex { $0.timestamp >= middle } ?? arrivals.count
        try await LeadStoreTests.append(arrivals[..<half], to: store)
        _ = store.closeIdleVisits(now: middle)
        let compacted = try await store.compact(now: middle, minimumRows: 0)
        #expect(compacted.visits > 0 || !backend.compactionMovesVisits, "the traffic's first half is compacted")
        try await LeadStoreTests.append(arrivals[half...], to: store)
        return store
    }

    /// Every visit of the site, read page by page through ``EventStore/visits(_:)``.
    static func allVisits(_ store: any EventStore) async throws -> [Visit] {
        var visits: [Visit] = []
        var query = VisitQuery(siteID: site.id, limit: 97)
        while true {
            let page = try await store.visits(query)
            visits += page
            guard page.count == query.limit, let last = page.last else { return visits }
            query.after = VisitCursor(startedAt: last.startedAt, visitID: last.id)
        }
    }

    /// The leads `visits` make, as the store should list them (change stamps aside).
    static func leads(of visits: [Visit]) -> [Lead] {
        var accumulator = LeadAccumulator()
        accumulator.apply(upserted: visits)
        return accumulator.leads(now: LeadStoreTests.scoredAt).map(\.withoutChangeStamp)
    }

    /// Every event of the site, drained from ``AnalyticsStore/eventStream(siteID:from:to:)``.
    static func allEvents(_ store: any AnalyticsStore) async throws -> [Event] {
        var stream = store.eventStream(siteID: site.id, from: .min, to: .max)
        var events: [Event] = []
        while let batch = try await stream.nextBatch() { events += batch }
        return events
    }

    /// The most frequent values, ties by value: the order every counted query returns.
    static func top(_ counts: [String: Int], limit: Int) -> [CountedValue] {
        Array(counts.map { CountedValue(value: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.value) < ($0.count, $1.value) }.prefix(limit))
    }

    @Test(arguments: Backend.all)
    func visitsLeadsAndEventsEqualThePureReference(backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.loaded(backend, directory)
        #expect(try await Self.allVisits(store) == Self.expected)
        let leads = try await LeadStoreTests.allLeads(store)
        #expect(leads.count > 10)
        #expect(leads.map(\.withoutChangeStamp) == Self.leads(of: Self.expected))
        let sorted = Self.traffic.sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
        #expect(try await Self.allEvents(store).map(\.id) == sorted.map(\.id))

        let again = try await store.append(Array(Self.traffic.prefix(200)))
        #expect(again == 0, "retried events, hot or compacted, are stored once")
        try await store.rebuildVisits(siteID: Self.site.id, from: .min, to: .max)
        #expect(try await Self.allVisits(store) == Self.expected)
        #expect(try await store.rebuildLeads(siteIDs: [Self.site.id]) == leads.count)
        #expect(try await LeadStoreTests.allLeads(store).map(\.withoutChangeStamp) == Self.leads(of: Self.expected))
    }

    @Test(arguments: Backend.all)
    func statsEqualFiguresComputedFromTheReferenceVisits(backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.loaded(backend, directory)
        let quarter = (LeadStoreTests.end - Self.start) / 4
        // The whole traffic, and a range across the compacted and hot halves.
        for range in [AnalyticsRange(siteID: Self.site.id), AnalyticsRange(siteID: Self.site.id, from: Self.start + quarter, to: Self.middle + quarter)] {
            let visits = Self.expected.filter { $0.startedAt >= range.from && $0.startedAt < range.to }
            var buckets: [Int64: (visits: Int, pageviews: Int, visitors: Set<VisitorID>)] = [:]
            for visit in visits {
                let hour = visit.startedAt / TimeBucket.hour.milliseconds * TimeBucket.hour.milliseconds
                buckets[hour, default: (0, 0, [])].visits += 1
                buckets[hour]!.pageviews += visit.pageviews
                buckets[hour]!.visitors.insert(visit.visitorID)
            }
            let series = buckets.keys.sorted().map {
                TimeSeriesPoint(bucketStart: $0, visits: buckets[$0]!.visits, pageviews: buckets[$0]!.pageviews, uniqueVisitors: buckets[$0]!.visitors.count)
            }
            #expect(try await store.timeSeries(range, bucket: .hour).rows == series)

            var pages: [String: Int] = [:]
            for page in visits.flatMap(\.pages) { pages[page.path, default: 0] += 1 }
            #expect(try await store.topPages(range, limit: 10).rows == Self.top(pages, limit: 10))

            var sources: [String: Int] = [:]
            for visit in visits { sources[visit.source.source, default: 0] += 1 }
            #expect(try await store.breakdown(range, by: .source, limit: 10).rows == Self.top(sources, limit: 10))
        }
    }

    @Test(arguments: Backend.all)
    func erasureRemovesExactlyTheSubjectsVisits(backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.loaded(backend, directory)
        // A returning visitor with visits both compacted (final well before the middle) and hot.
        let visitor = try #require(Self.expected.map(\.visitorID).first { visitor in
            let visits = Self.expected.filter { $0.visitorID == visitor }
            return visits.contains { $0.endedAt < Self.middle - 2 * TimeBucket.hour.milliseconds } && visits.contains { $0.startedAt >= Self.middle }
        })
        let theirs = Self.expected.filter { $0.visitorID == visitor }
        let subject = DataSubject(siteID: Self.site.id, selector: .visitor(visitor))
        #expect(try await store.subjectData(subject).visits == theirs)

        let result = try await store.erase(subject, receipt: "rcpt_conformance")
        #expect(result.receipt == "rcpt_conformance")
        #expect(result.visits == theirs.count)
        #expect(result.events == Self.traffic.filter { $0.visitorID == visitor }.count)
        let rest = Self.expected.filter { $0.visitorID != visitor }
        #expect(try await Self.allVisits(store) == rest)
        #expect(try await LeadStoreTests.allLeads(store).map(\.withoutChangeStamp) == Self.leads(of: rest))
        let subjectData = try await store.subjectData(subject)
        #expect(subjectData.events.isEmpty && subjectData.visits.isEmpty)
        #expect(!(try await Self.allEvents(store)).contains { $0.visitorID == visitor })
    }

    @Test(arguments: Backend.all)
    func retentionRemovesExactlyTheOldData(backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.loaded(backend, directory)
        let cutoff = Self.middle
        try await store.dropData(olderThan: cutoff, siteID: Self.site.id)
        let kept = Self.expected.filter { $0.endedAt >= cutoff }
        #expect(kept.count < Self.expected.count)
        #expect(try await Self.allVisits(store) == kept)
        #expect(try await LeadStoreTests.allLeads(store).map(\.withoutChangeStamp) == Self.leads(of: kept))
        let sorted = Self.traffic.filter { $0.timestamp >= cutoff }.sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
        #expect(try await Self.allEvents(store).map(\.id) == sorted.map(\.id))
        try await store.dropData(olderThan: cutoff, siteID: Self.site.id + 1)
        #expect(try await Self.allVisits(store) == kept, "another site's retention leaves this one alone")
    }
}
