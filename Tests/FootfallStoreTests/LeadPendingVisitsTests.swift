import FootfallCore
@testable import FootfallStore
import Foundation
import GRDB
import Testing

/// Leads follow the visit commit: an append only records the visits it changed, and a
/// settle (explicit, before any lead read, or at the start of maintenance) folds them into
/// their leads, each lead once per settle. Nothing pending is lost to a restart or a compaction.
@Suite struct LeadPendingVisitsTests {
    typealias Fixture = LeadStoreTests

    static func count(_ store: SQLiteEventStore, _ sql: String) async throws -> Int {
        try await Int.fromDatabase(store, sql: sql)
    }

    @Test func appendsLeaveVisitsPendingUntilASettleWritesEachLeadOnce() async throws {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        try await store.registerLeadSites([Fixture.site])
        try await Fixture.append(Fixture.traffic[...], to: store)

        let pending = try await Self.count(store, "SELECT COUNT(*) FROM lead_pending_visits")
        let hotVisits = try await Self.count(store, "SELECT COUNT(*) FROM visits")
        #expect(hotVisits > 0 && pending >= hotVisits, "every stored visit (and every merged-away one) is pending")
        #expect(try await Self.count(store, "SELECT COUNT(*) FROM leads") == 0, "the visit commits wrote no lead")

        let now = Fixture.scoredAt
        #expect(try await store.pool.write { db in try store.settle(db, now: now) } == pending)
        #expect(try await Self.count(store, "SELECT COUNT(*) FROM lead_pending_visits") == 0)
        let leads = try await Self.count(store, "SELECT COUNT(*) FROM leads")
        #expect(leads > 1)
        #expect(try await Self.count(store, "SELECT MAX(change_seq) FROM leads") == leads,
                "one settle gives each lead one change_seq however many commits touched it")
        #expect(try await Fixture.allLeads(store).map(\.withoutChangeStamp) == (try await LeadLifecycleTests.rebuilt(directory)))
        #expect(try await store.settleLeads() == 0)
    }

    @Test func settleLeadsFoldsInStepsUntilNothingIsPending() async throws {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        try await store.registerLeadSites([Fixture.site])
        try await Fixture.append(Fixture.traffic[...], to: store)
        let pending = try await Self.count(store, "SELECT COUNT(*) FROM lead_pending_visits")
        #expect(pending > LeadPendingVisits.settleStep, "the traffic needs more than one step")

        let now = Fixture.scoredAt
        #expect(try await store.pool.write { db in try store.settle(db, now: now, limit: LeadPendingVisits.settleStep) }
                == LeadPendingVisits.settleStep)
        #expect(try await Self.count(store, "SELECT COUNT(*) FROM lead_pending_visits") == pending - LeadPendingVisits.settleStep)
        #expect(try await store.settleLeads() == pending - LeadPendingVisits.settleStep)
        #expect(try await Self.count(store, "SELECT COUNT(*) FROM lead_pending_visits") == 0)
        #expect(try await Fixture.allLeads(store).map(\.withoutChangeStamp) == (try await LeadLifecycleTests.rebuilt(directory)))
    }

    @Test func visitsPendingAtACrashAreFoldedByTheNextLeadRead() async throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
            try await store.registerLeadSites([Fixture.site])
            try await Fixture.append(Fixture.traffic[...], to: store)
            // The process ends here: the visits are committed, their leads never settled.
        }
        let reopened = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        #expect(try await Self.count(reopened, "SELECT COUNT(*) FROM lead_pending_visits") > 0)
        let leads = try await Fixture.allLeads(reopened)
        #expect(!leads.isEmpty)
        #expect(leads.map(\.withoutChangeStamp) == (try await LeadLifecycleTests.rebuilt(directory)))
        #expect(try await Self.count(reopened, "SELECT COUNT(*) FROM lead_pending_visits") == 0)
    }

    @Test func compactionFoldsPendingVisitsInBeforeMovingThem() async throws {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        try await store.registerLeadSites([Fixture.site])
        try await Fixture.append(Fixture.traffic[...], to: store)
        let compacted = try await store.compact(now: Fixture.scoredAt)
        #expect(compacted.visits > 0)
        #expect(try await Self.count(store, "SELECT COUNT(*) FROM visits") == 0, "every visit left the hot table")
        let leads = try await Fixture.allLeads(store)
        #expect(leads.count > 1, "the compacted visits still count for their leads")
        #expect(leads.map(\.withoutChangeStamp) == (try await LeadLifecycleTests.rebuilt(directory)))
    }
}
