import FootfallCore
import Foundation
@testable import FootfallStore
import Testing

/// What only the ClickHouse backend has: several ingest nodes on one database, its address
/// form, and its errors. Tests that need a server run when `FOOTFALL_CLICKHOUSE_URL` names
/// one (`make test` starts one).
@Suite struct ClickHouseStoreTests {
    static func location() throws -> ClickHouseLocation {
        var location = try ClickHouseLocation(url: try #require(EventBackend.clickHouseURL))
        location.database = EventBackend.freshDatabase()
        return location
    }

    @Test(.enabled(if: EventBackend.clickHouseURL != nil)) func twoNodesTakingOneVisitorsEventsInTurnStoreTheVisitsOfOne() async throws {
        let location = try Self.location()
        let directory = try TemporaryDirectory()
        let leadsPath = directory.path + "/leads.sqlite"
        let nodes = [try await ClickHouseEventStore.open(location, leadsPath: leadsPath, clock: { LeadStoreTests.scoredAt }),
                     try await ClickHouseEventStore.open(location, leadsPath: leadsPath, clock: { LeadStoreTests.scoredAt })]
        try await nodes[0].registerLeadSites([LeadStoreTests.site])
        // Arrival order, each batch to the other node: a visitor's page views alternate nodes.
        let arrivals = LeadStoreTests.disordered(LeadStoreTests.traffic, seed: 5)
        for (number, offset) in stride(from: 0, to: arrivals.count, by: 40).enumerated() {
            _ = try await nodes[number % 2].append(Array(arrivals[offset..<min(offset + 40, arrivals.count)]))
        }
        #expect(try await StoreConformanceTests.allVisits(nodes[0]) == Sessionizer.visits(from: LeadStoreTests.traffic))
        #expect(try await StoreConformanceTests.allVisits(nodes[1]) == Sessionizer.visits(from: LeadStoreTests.traffic))
        #expect(try await StoreConformanceTests.allEvents(nodes[1]).count == LeadStoreTests.traffic.count)
        // Leads: one lead store shared by both nodes, equal to the leads of the reference visits.
        let leads = try await LeadStoreTests.allLeads(nodes[1])
        #expect(leads.count > 10)
        #expect(leads.map(\.withoutChangeStamp) == StoreConformanceTests.leads(of: Sessionizer.visits(from: LeadStoreTests.traffic)))
        #expect(Set(leads.map(\.changeSeq)).count == leads.count, "change_seq is unique across the nodes")
        #expect(try await nodes[1].append(Array(arrivals.prefix(40))) == 0, "a retry on the other node is stored once")
    }

    @Test(.enabled(if: EventBackend.clickHouseURL != nil)) func textWithQuotesBackslashesAndUnicodeIsStoredExactly() async throws {
        let directory = try TemporaryDirectory()
        let store = try await ClickHouseEventStore.open(try Self.location(), leadsPath: directory.path + "/leads.sqlite")
        let path = #"/o'brien\"x\\y/%27;DROP TABLE events;--/Ünïcødé/🙂"#
        let event = Event(id: #"id'\"#, siteID: 3, visitorID: -42, type: .pageview, timestamp: 1_700_000_000_000,
                          url: "https://example.com" + path, path: path, referrer: "https://a.example/?q='\\'")
        #expect(try await store.append([event]) == 1)
        #expect(try await store.append([event]) == 0)
        var stream = store.eventStream(siteID: 3, from: .min, to: .max)
        #expect(try await stream.nextBatch() == [event])
        let visits = try await store.visits(VisitQuery(siteID: 3))
        #expect(visits.map(\.pages.first?.path) == [path])
        #expect(try await store.topPages(AnalyticsRange(siteID: 3), limit: 1).rows == [CountedValue(value: path, count: 1)])
    }

    @Test func addressesAreCheckedAndPasswordsNeverShown() throws {
        let location = try ClickHouseLocation(url: "clickhouse://ingest:s3cret@db.internal:9123/footfall_prod")
        #expect(location.host == "db.internal" && location.port == 9123 && location.database == "footfall_prod")
        #expect(location.user == "ingest" && location.password == "s3cret")
        #expect(location.redacted == "clickhouse://ingest@db.internal:9123/footfall_prod")
        #expect(try ClickHouseLocation(url: "clickhouse://localhost/analytics").port == 8123)
        for bad in ["http://localhost:8123/db", "clickhouse:///db", "clickhouse://localhost:8123/", "clickhouse://localhost/db;DROP", "clickhouse://localhost/1db"] {
            #expect(throws: ClickHouseError.self) { try ClickHouseLocation(url: bad) }
        }
        #expect {
            try ClickHouseLocation(url: "https://u:topsecret@localhost/db")
        } throws: { error in
            !"\(error)".contains("topsecret") && "\(error)".contains("clickhouse://")
        }
    }

    @Test func anUnreachableServerIsAClearError() async throws {
        let location = try ClickHouseLocation(url: "clickhouse://u:pw@127.0.0.1:1/footfall")
        await #expect {
            _ = try await ClickHouseEventStore.open(location, leadsPath: "/nonexistent/leads.sqlite")
        } throws: { error in
            guard case ClickHouseError.unreachable(let reason) = error else { return false }
            return reason.contains("127.0.0.1:1") && !reason.contains("pw")
        }
    }

    @Test(.enabled(if: EventBackend.clickHouseURL != nil)) func aRefusedStatementCarriesClickHousesMessage() async throws {
        let client = ClickHouseClient(location: try Self.location())
        await #expect {
            try await client.execute("SELECT no_such_column FROM system.one", inDatabase: false)
        } throws: { error in
            guard case ClickHouseError.server(let status, let message) = error else { return false }
            return status >= 400 && message.contains("no_such_column")
        }
    }
}
