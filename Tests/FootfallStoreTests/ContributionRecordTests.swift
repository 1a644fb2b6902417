import FootfallCore
@testable import FootfallStore
import Foundation
import GRDB
import Testing

/// `lead_visits.contribution` records: every generated visit round-trips, odd text survives,
/// damaged bytes are refused rather than misread, and rows written as JSON before events v9
/// still fold out.
@Suite struct ContributionRecordTests {
    typealias Fixture = LeadStoreTests

    @Test func everyGeneratedVisitRoundTrips() throws {
        let visits = Sessionizer.visits(from: Fixture.traffic)
        #expect(visits.count > 100)
        for visit in visits {
            let contribution = VisitContribution(visit: visit)
            #expect(try ContributionRecord.decode(ContributionRecord.encode(contribution)) == contribution)
        }
    }

    @Test func unusualValuesRoundTrip() throws {
        let long = String(repeating: "/päth-🙂", count: 400)
        let contribution = VisitContribution(
            visitID: .min, visitorID: -1, startedAt: 0, endedAt: .max, paths: ["", long, "/a\"b\\c\n", long],
            engagedMs: 1 << 40, source: "search/Google", campaign: "spring \u{1}",
            network: NetworkInfo(
                organisation: "Zürich Ægir AG", domain: "xn--zrich-kva.example", asn: 4_294_967_295,
                networkType: .government, country: "CH", storedIP: "", region: "ZH", city: "Zürich",
                matchSource: .reverseDNS))
        #expect(try ContributionRecord.decode(ContributionRecord.encode(contribution)) == contribution)
    }

    @Test func damagedRecordsAreRefused() throws {
        let visit = try #require(Sessionizer.visits(from: Fixture.traffic).first { $0.pages.count > 1 })
        let bytes = ContributionRecord.encode(VisitContribution(visit: visit))
        for length in 0..<bytes.count {
            #expect(throws: DatabaseError.self) { try ContributionRecord.decode(Array(bytes[..<length])) }
        }
        #expect(throws: DatabaseError.self) { try ContributionRecord.decode(bytes + [0]) }
        var otherVersion = bytes
        otherVersion[0] = 2
        #expect(throws: DatabaseError.self) { try ContributionRecord.decode(otherVersion) }
    }

    @Test func contributionsStoredAsJSONStillFoldOut() async throws {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        try await store.registerLeadSites([Fixture.site])
        try await Fixture.append(Fixture.traffic[...], to: store)
        try await store.settleLeads()
        // Lay lead_visits out as before events v9: each contribution as JSON text.
        let rewritten = try await store.pool.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT visit_id, contribution FROM lead_visits")
            for row in rows {
                let contribution = try LeadRow.contribution(row["contribution"])
                let json = String(decoding: try JSONEncoder().encode(contribution), as: UTF8.self)
                try db.execute(sql: "UPDATE lead_visits SET contribution = ? WHERE visit_id = ?", arguments: [json, row["visit_id"] as Int64])
            }
            return rows.count
        }
        #expect(rewritten > 0)
        #expect(try await Int.fromDatabase(store, sql: "SELECT COUNT(*) FROM lead_visits WHERE typeof(contribution) = 'text'") == rewritten)

        let cutoff = Fixture.traffic[Fixture.traffic.count / 2].timestamp
        let removed = try await store.dropData(olderThan: cutoff, siteID: 1)
        #expect(removed.hotVisits > 0)
        #expect(try await Fixture.allLeads(store).map(\.withoutChangeStamp) == (try await LeadLifecycleTests.rebuilt(directory)))
    }
}
