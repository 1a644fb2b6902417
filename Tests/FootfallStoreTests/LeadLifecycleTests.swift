import FootfallCore
@testable import FootfallStore
import Foundation
import GRDB
import Testing

/// Retention and erasure fold the removed visits out of their leads in the same
/// transaction: afterwards the leads equal leads rebuilt from what is left, and no lead
/// holds a removed visitor's id or contribution.
@Suite struct LeadLifecycleTests {
    typealias Fixture = LeadStoreTests

    static func ingestWithSegments(_ directory: TemporaryDirectory) async throws -> SQLiteEventStore {
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        try await store.registerLeadSites([Fixture.site])
        let half = Fixture.traffic.count / 2
        try await Fixture.append(Fixture.traffic[..<half], to: store)
        _ = try await store.compact(now: Fixture.traffic[half].timestamp)
        try await Fixture.append(Fixture.traffic[half...], to: store)
        return store
    }

    /// Leads as a rebuild from the stored visits makes them, without change stamps.
    static func rebuilt(_ directory: TemporaryDirectory) async throws -> [Lead] {
        let copy = try TemporaryDirectory()
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: directory.path + "/events.sqlite" + suffix) {
            try FileManager.default.copyItem(atPath: directory.path + "/events.sqlite" + suffix, toPath: copy.path + "/events.sqlite" + suffix)
        }
        let store = try Fixture.open(copy, clock: TestClock(Fixture.scoredAt))
        try await store.rebuildLeads(siteIDs: [1])
        return try await Fixture.allLeads(store).map(\.withoutChangeStamp)
    }

    @Test func retentionFoldsExpiredVisitsOutOfTheirLeads() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.ingestWithSegments(directory)
        let before = try await Fixture.allLeads(store)
        let cutoff = Fixture.traffic[Fixture.traffic.count * 3 / 4].timestamp
        let removed = try await store.dropData(olderThan: cutoff, siteID: 1)
        #expect(removed.segments > 0 && removed.hotVisits > 0)

        let after = try await Fixture.allLeads(store)
        #expect(after.reduce(0) { $0 + $1.visits } < before.reduce(0) { $0 + $1.visits })
        #expect(after.map(\.withoutChangeStamp) == (try await Self.rebuilt(directory)))
        let orphans = try await Int.fromDatabase(store, sql: """
            SELECT COUNT(*) FROM lead_visits WHERE started_at < \(cutoff - 2 * Timestamp.msPerDay)
            """)
        #expect(orphans == 0)
        let leadVisits = try await Int.fromDatabase(store, sql: "SELECT COUNT(*) FROM lead_visits")
        #expect(leadVisits == after.reduce(0) { $0 + $1.visits })
    }

    @Test func erasingAnOrganisationLeavesATombstoneWithoutItsVisitors() async throws {
        let directory = try TemporaryDirectory()
        let store = try await Self.ingestWithSegments(directory)
        let lead = try #require(try await Fixture.allLeads(store).first { !$0.domain.isEmpty && $0.visits >= 2 })
        let result = try await store.erase(
            DataSubject(siteID: 1, selector: .organisation(domain: lead.domain)), receipt: "rcpt_test")
        #expect(result.visits >= lead.visits && result.segmentsRewritten > 0)
        #expect(result.emptiedLeadIDs == [lead.id])

        #expect(try await store.lead(id: lead.id, siteIDs: [1]) == nil)
        #expect(try await Fixture.allLeads(store).map(\.withoutChangeStamp) == (try await Self.rebuilt(directory)))
        let row = try await store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT visits, tally, change_seq FROM leads WHERE id = ?", arguments: [lead.id])
        }
        let tombstone = try #require(row)
        #expect(tombstone["visits"] as Int == 0)
        let stored = try LeadRow.storedTally(from: tombstone)
        #expect(stored.visitorCount == 0 && stored.keyPages.isEmpty && stored.tally.days.isEmpty)
        let counts = try await Int.fromDatabase(store, sql: "SELECT COUNT(*) FROM lead_counts WHERE lead_id = '\(lead.id)'")
        #expect(counts == 0, "no visitor id or page of the erased organisation is left")
        #expect(tombstone["change_seq"] as Int64 > lead.changeSeq, "the change feed announces the erasure")
        let contributions = try await Int.fromDatabase(store, sql: "SELECT COUNT(*) FROM lead_visits WHERE lead_id = '\(lead.id)'")
        #expect(contributions == 0)
    }
}
