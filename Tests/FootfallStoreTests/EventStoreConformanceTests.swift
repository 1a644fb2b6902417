import FootfallCore
import Foundation
@testable import FootfallStore
import Testing

/// A backend's event roles (``EventStore``, ``AnalyticsStore`` and ``StoreMaintenance``) under test.
struct EventBackend: Sendable, CustomTestStringConvertible {
    let name: String
    /// Opens the store kept in `directory` (SQLite) or database `database` (ClickHouse),
    /// deciding open visits at `clock`. Opening the same place again is a restart.
    let open: @Sendable (_ directory: TemporaryDirectory, _ database: String, _ clock: @escaping @Sendable () -> Int64)
        async throws -> any EventStore & AnalyticsStore & StoreMaintenance

    var testDescription: String { name }

    /// The SQLite backend, and the ClickHouse backend when `FOOTFALL_CLICKHOUSE_URL` names a
    /// server (`make test` starts one: scripts/clickhouse-local.sh).
    static let all: [EventBackend] = {
        var backends = [EventBackend(name: "sqlite") { directory, _, clock in
            try SQLiteEventStore(path: directory.path + "/events.sqlite", now: clock(), clock: clock)
        }]
        if let url = clickHouseURL {
            backends.append(EventBackend(name: "clickhouse") { directory, database, clock in
                var location = try ClickHouseLocation(url: url)
                location.database = database
                return try await ClickHouseEventStore.open(location, leadsPath: directory.path + "/leads.sqlite", clock: clock)
            })
        }
        return backends
    }()

    /// The test server's address (`clickhouse://127.0.0.1:18123/footfall`), from `FOOTFALL_CLICKHOUSE_URL`.
    static let clickHouseURL = ProcessInfo.processInfo.environment["FOOTFALL_CLICKHOUSE_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// A database name no other test uses.
    static func freshDatabase() -> String {
        "footfall_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    }
}

/// What every backend's event log, visits and aggregates must give for the same traffic: the
/// visits of the pure ``Sessionizer`` (across a restart in the middle of the traffic), every
/// event once in (time, id) order, retries stored once, aggregates equal to figures
/// computed from the reference visits, and retention, erasure and rebuilds that remove or
/// re-derive exactly their part.
@Suite struct EventStoreConformanceTests {
    static let site = LeadStoreTests.site
    static let traffic = LeadStoreTests.traffic
    static let expected = Sessionizer.visits(from: traffic)
    static let middle = (traffic.first!.timestamp + LeadStoreTests.end) / 2

    /// A store that took `traffic` in arrival order (each event up to two minutes late),
    /// restarted at the middle of the traffic with its visits still open.
    static func loaded(_ backend: EventBackend, _ directory: TemporaryDirectory, database: String) async throws -> any EventStore & AnalyticsStore & StoreMaintenance {
        let arrivals = LeadStoreTests.disordered(traffic, seed: 23)
        let half = arrivals.firstIndex { $0.timestamp >= middle } ?? arrivals.count
        do {
            let first = try await backend.open(directory, database) { middle }
            try await LeadStoreTests.append(arrivals[..<half], to: first)
        }
        let restarted = try await backend.open(directory, database) { middle }
        try await LeadStoreTests.append(arrivals[half...], to: restarted)
        return restarted
    }

    @Test(arguments: EventBackend.all)
    func visitsAndEventsEqualThePureReferenceAcrossARestart(backend: EventBackend) async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.loaded(backend, directory, database: EventBackend.freshDatabase())
        #expect(try await StoreConformanceTests.allVisits(store) == Self.expected)
        let sorted = Self.traffic.sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
        #expect(try await StoreConformanceTests.allEvents(store).map(\.id) == sorted.map(\.id))

        #expect(try await store.append(Array(Self.traffic.prefix(200))) == 0, "retried events are stored once")
        #expect(try await store.append(Array(Self.traffic.suffix(50)) + Array(Self.traffic.suffix(50))) == 0)
        #expect(try await StoreConformanceTests.allVisits(store) == Self.expected, "retries change no visit")

        let window = VisitQuery(siteID: Self.site.id, from: Self.middle, to: Self.middle + 3_600_000, limit: 5)
        #expect(try await store.visits(window) == Array(Self.expected.filter { $0.startedAt >= window.from && $0.startedAt < window.to }.prefix(5)))
        #expect(try await store.visits(VisitQuery(siteID: Self.site.id + 1)).isEmpty, "another site has no visits")
    }

    @Test(arguments: EventBackend.all)
    func aggregatesEqualFiguresComputedFromTheReferenceVisits(backend: EventBackend) async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.loaded(backend, directory, database: EventBackend.freshDatabase())
        let quarter = (LeadStoreTests.end - Self.traffic.first!.timestamp) / 4
        for range in [AnalyticsRange(siteID: Self.site.id), AnalyticsRange(siteID: Self.site.id, from: Self.middle - quarter, to: Self.middle + quarter)] {
            let visits = Self.expected.filter { $0.startedAt >= range.from && $0.startedAt < range.to }
            var days: [Int64: (visits: Int, pageviews: Int, visitors: Set<VisitorID>)] = [:]
            for visit in visits {
                let day = visit.startedAt / TimeBucket.day.milliseconds * TimeBucket.day.milliseconds
                days[day, default: (0, 0, [])].visits += 1
                days[day]!.pageviews += visit.pageviews
                days[day]!.visitors.insert(visit.visitorID)
            }
            #expect(try await store.timeSeries(range, bucket: .day).rows == days.keys.sorted().map {
                TimeSeriesPoint(bucketStart: $0, visits: days[$0]!.visits, pageviews: days[$0]!.pageviews, uniqueVisitors: days[$0]!.visitors.count)
            })

            var pages: [String: Int] = [:]
            for page in visits.flatMap(\.pages) { pages[page.path, default: 0] += 1 }
            #expect(try await store.topPages(range, limit: 7).rows == StoreConformanceTests.top(pages, limit: 7))

            for (dimension, value) in [(VisitDimension.device, { (visit: Visit) in visit.userAgent.device.rawValue }),
                                       (.entryPage, \Visit.entryPage), (.medium, { $0.source.medium.rawValue }),
                                       (.country, { $0.network.country })] {
                var counts: [String: Int] = [:]
                for visit in visits { counts[value(visit), default: 0] += 1 }
                #expect(try await store.breakdown(range, by: dimension, limit: 5).rows == StoreConformanceTests.top(counts, limit: 5), "\(dimension)")
            }

            var organisations: [String: OrganisationActivity] = [:]
            for visit in visits where !visit.network.organisation.isEmpty {
                var activity = organisations[visit.network.organisation] ?? OrganisationActivity(
                    organisation: visit.network.organisation, domain: visit.network.domain, visits: 0, pageviews: 0, engagedMs: 0, lastSeen: .min)
                activity.visits += 1
                activity.pageviews += visit.pageviews
                activity.engagedMs += visit.engagedMs
                activity.lastSeen = max(activity.lastSeen, visit.startedAt)
                organisations[visit.network.organisation] = activity
            }
            let expected = organisations.values.sorted { ($1.visits, $0.organisation) < ($0.visits, $1.organisation) }.prefix(8)
            #expect(try await store.organisations(range, limit: 8).rows == Array(expected))
        }
        #expect(try await store.topPages(AnalyticsRange(siteID: Self.site.id + 1), limit: 5).rows.isEmpty)
    }

    @Test(arguments: EventBackend.all)
    func erasureRemovesExactlyTheSubjectsEventsAndVisits(backend: EventBackend) async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.loaded(backend, directory, database: EventBackend.freshDatabase())
        // A visitor with several visits, and every visitor of one organisation.
        let counts = Dictionary(grouping: Self.expected, by: \.visitorID)
        let visitor = try #require(counts.keys.sorted().first { counts[$0]!.count >= 2 })
        let domain = try #require(Self.expected.map(\.network.domain).sorted().first { !$0.isEmpty && $0 != "" })
        for (selector, erased) in [(DataSubject.Selector.visitor(visitor), { (visitorID: VisitorID) in visitorID == visitor }),
                                   (.organisation(domain: domain), { id in Self.traffic.contains { $0.visitorID == id && $0.network.domain == domain } })] {
            let subject = DataSubject(siteID: Self.site.id, selector: selector)
            let before = try await StoreConformanceTests.allVisits(store)
            let theirs = before.filter { erased($0.visitorID) }
            let theirEvents = try await StoreConformanceTests.allEvents(store).filter { erased($0.visitorID) }
            #expect(!theirs.isEmpty)
            let data = try await store.subjectData(subject)
            #expect(data.visits == theirs)
            #expect(data.events.map(\.id) == theirEvents.map(\.id))

            let result = try await store.erase(subject, receipt: "rcpt_1")
            #expect(result.visits == theirs.count && result.events == theirEvents.count)
            #expect(try await StoreConformanceTests.allVisits(store) == before.filter { !erased($0.visitorID) })
            #expect(!(try await StoreConformanceTests.allEvents(store)).contains { erased($0.visitorID) })
            let after = try await store.subjectData(subject)
            #expect(after.events.isEmpty && after.visits.isEmpty)
        }
        // A late event of an erased visitor starts afresh: nothing erased comes back.
        let late = try #require(Self.traffic.last { $0.visitorID == visitor })
        var again = late
        again.id = "after-erasure"
        #expect(try await store.append([again]) == 1)
        #expect(try await StoreConformanceTests.allVisits(store).filter { $0.visitorID == visitor }.map(\.pageviews).reduce(0, +) <= 1)
    }

    @Test(arguments: EventBackend.all)
    func retentionAndRebuildsRemoveOrRederiveExactlyTheirPart(backend: EventBackend) async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.loaded(backend, directory, database: EventBackend.freshDatabase())
        try await store.rebuildVisits(siteID: Self.site.id, from: Self.middle - 3_600_000, to: Self.middle + 3_600_000)
        #expect(try await StoreConformanceTests.allVisits(store) == Self.expected, "a rebuild of a range re-derives the same visits")

        let cutoff = Self.middle
        let result = try await store.dropData(olderThan: cutoff, siteID: Self.site.id + 1)
        #expect(result.hotVisits == 0 && result.hotEvents == 0, "another site's retention leaves this one alone")
        try await store.dropData(olderThan: cutoff, siteID: Self.site.id)
        let kept = Self.expected.filter { $0.endedAt >= cutoff }
        #expect(kept.count < Self.expected.count)
        #expect(try await StoreConformanceTests.allVisits(store) == kept)
        let events = Self.traffic.filter { $0.timestamp >= cutoff }.sorted { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
        #expect(try await StoreConformanceTests.allEvents(store).map(\.id) == events.map(\.id))

        let rebuilt = try await store.rebuildVisits(siteID: Self.site.id, from: cutoff, to: .max)
        #expect(rebuilt.events == events.count)
        #expect(rebuilt.visitsAfter == Sessionizer.visits(from: events).filter { $0.startedAt >= cutoff }.count)
    }
}
