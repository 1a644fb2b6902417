import FootfallCore
@testable import FootfallStore
import Foundation
import GRDB
import Testing

/// `leads.tally` records: every stored tally of generated traffic round-trips, odd keys and
/// negative pending counts survive, damaged bytes are refused rather than misread, and
/// tallies written as JSON by earlier versions still take later visits.
@Suite struct TallyRecordTests {
    typealias Fixture = LeadStoreTests

    @Test func everyStoredTallyRoundTrips() async throws {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        try await store.registerLeadSites([Fixture.site])
        try await Fixture.append(Fixture.traffic[...], to: store)
        try await store.settleLeads()
        let tallies = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT tally FROM leads").map { try LeadRow.storedTally(from: $0) }
        }
        #expect(tallies.count > 10)
        #expect(tallies.contains { !$0.tally.places.isEmpty && !$0.keyPatterns.isEmpty })
        for stored in tallies {
            #expect(try TallyRecord.decode(TallyRecord.encode(stored)) == stored)
        }
    }

    @Test func unusualValuesRoundTrip() throws {
        var stored = StoredTally()
        stored.tally.visits = -3
        stored.tally.pageviews = Int(Int32.max) * 4
        stored.tally.engagedMs = .min
        stored.tally.visitors = ["-1": -2, "9223372036854775807": 1]
        stored.tally.pages = ["": 1, "/päth-🙂\"\\\n\u{1}": -7, String(repeating: "/long", count: 500): .max]
        stored.tally.places = ["CH|ZH|Zürich": 2, "||": 1]
        stored.tally.campaigns = ["spring \u{1}": .min]
        stored.visitorCount = 1 << 40
        stored.keyPages = ["/pricing*": 3]
        stored.keyPatterns = ["/pricing*", "", "/a;b"]
        #expect(try TallyRecord.decode(TallyRecord.encode(stored)) == stored)
        #expect(try TallyRecord.decode(TallyRecord.encode(StoredTally())) == StoredTally())
    }

    @Test func damagedRecordsAreRefused() throws {
        var stored = StoredTally()
        stored.tally.visits = 2
        stored.tally.days = ["20000": 2]
        stored.tally.sources = ["search/google": 1, "direct/": 1]
        stored.keyPatterns = ["/pricing*"]
        let bytes = TallyRecord.encode(stored)
        for length in 0..<bytes.count {
            #expect(throws: DatabaseError.self) { try TallyRecord.decode(Array(bytes[..<length])) }
        }
        #expect(throws: DatabaseError.self) { try TallyRecord.decode(bytes + [0]) }
        var otherVersion = bytes
        otherVersion[0] = 2
        #expect(throws: DatabaseError.self) { try TallyRecord.decode(otherVersion) }
    }

    @Test func talliesStoredAsJSONStillTakeLaterVisits() async throws {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        try await store.registerLeadSites([Fixture.site])
        let half = Fixture.traffic.count / 2
        try await Fixture.append(Fixture.traffic[..<half], to: store)
        try await store.settleLeads()
        // Lay leads.tally out as earlier versions wrote it: JSON text.
        let rewritten = try await store.pool.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, tally FROM leads")
            for row in rows {
                let json = String(decoding: try JSONEncoder().encode(try LeadRow.storedTally(from: row)), as: UTF8.self)
                try db.execute(sql: "UPDATE leads SET tally = ? WHERE id = ?", arguments: [json, row["id"] as String])
            }
            return rows.count
        }
        #expect(rewritten > 0)
        #expect(try await Int.fromDatabase(store, sql: "SELECT COUNT(*) FROM leads WHERE typeof(tally) = 'text'") == rewritten)

        try await Fixture.append(Fixture.traffic[half...], to: store)
        try await store.settleLeads()
        #expect(try await Int.fromDatabase(store, sql: "SELECT COUNT(*) FROM leads WHERE typeof(tally) = 'blob'") > 0)
        #expect(try await Fixture.allLeads(store).map(\.withoutChangeStamp) == (try await LeadLifecycleTests.rebuilt(directory)))
    }
}
