import FootfallCore
import Foundation
@testable import FootfallStore
import Testing

/// A backend's event roles (``EventStore`` and ``AnalyticsStore``) under test.
struct EventBackend: Sendable, CustomTestStringConvertible {
    let name: String
    /// Opens the store kept in `directory` (SQLite) or database `database` (ClickHouse),
    /// deciding open visits at `clock`. Opening the same place again is a restart.
    let open: @Sendable (_ directory: TemporaryDirectory, _ database: String, _ clock: @escaping @Sendable () -> Int64)
        async throws -> any EventStore & AnalyticsStore

    var testDescription: String { name }

    /// The SQLite backend, and the ClickHouse backend when `FOOTFALL_CLICKHOUSE_URL` names a
    /// server (`make test` starts one: scripts/clickhouse-local.sh).
    static let all: [EventBackend] = {
        var backends = [EventBackend(name: "sqlite") { directory, _, clock in
            try SQLiteEventStore(path: directory.path + "/events.sqlite", now: clock(), clock: clock)
        }]
        if let url = ProcessInfo.processInfo.environment["FOOTFALL_CLICKHOUSE_URL"], !url.isEmpty {
            backends.append(EventBackend(name: "clickhouse") { _, database, clock in
                var location = try ClickHouseLocation(url: url)
                location.database = database
                return try await ClickHouseEventStore.open(location, clock: clock)
            })
        }
        return backends
    }()

    /// A database name no other test uses.
    static func freshDatabase() -> String {
        "footfall_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    }
}

/// What every backend's event log, visits and aggregates must give for the same traffic: the
/// visits of the pure ``Sessionizer`` (across a restart in the middle of the traffic), every
/// event once in (time, id) order, retries stored once, and aggregates equal to figures
/// computed from the reference visits.
@Suite struct EventStoreConformanceTests {
    static let site = LeadStoreTests.site
    static let traffic = LeadStoreTests.traffic
    static let expected = Sessionizer.visits(from: traffic)
    static let middle = (traffic.first!.timestamp + LeadStoreTests.end) / 2

    /// A store that took `traffic` in arrival order (each event up to two minutes late),
    /// restarted at the middle of the traffic with its visits still open.
    static func loaded(_ backend: EventBackend, _ directory: TemporaryDirectory, database: String) async throws -> any EventStore & AnalyticsStore {
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
}
