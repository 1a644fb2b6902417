import FootfallCore
@testable import FootfallStore
import Foundation
import Testing

@Suite struct SQLiteEventStoreTests {
    static let now = Timestamp.nowMs()

    func pageview(_ id: String, secondsAgo: Int64, path: String, visitor: VisitorID = 7, site: Int64 = 1) -> Event {
        Event(id: id, siteID: site, visitorID: visitor, type: .pageview, timestamp: Self.now - secondsAgo * 1000,
              url: "https://acme.com" + path, path: path, pageLoadID: "pl-" + id)
    }

    @Test func appendedEventsFormVisitsThatSurviveReopening() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/events.sqlite"
        do {
            let store = try SQLiteEventStore(path: path)
            #expect(try await store.append([pageview("a", secondsAgo: 300, path: "/"), pageview("b", secondsAgo: 200, path: "/pricing")]) == 2)
        }
        let reopened = try SQLiteEventStore(path: path)
        // The open visit is restored, so a later page view continues it.
        #expect(reopened.openVisitCount == 1)
        #expect(try await reopened.append([pageview("c", secondsAgo: 100, path: "/docs")]) == 1)
        let visits = try await reopened.visits(VisitQuery(siteID: 1))
        #expect(visits.count == 1)
        #expect(visits[0].pages.map(\.path) == ["/", "/pricing", "/docs"])
    }

    /// The writer keeps a 16 MB page cache for the event-id index; readers, whose cache WAL
    /// drops after every other commit, are held to 8 MB each (KiB as SQLite reports them).
    @Test func theWriterHasTheLargePageCacheAndReadersASmallOne() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.path + "/events.sqlite")
        #expect(try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } == -16000)
        #expect(try await store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } == -8000)
    }

    /// What `/metrics` reports each minute as `footfall_sessionizer_open_visits` and
    /// `footfall_sessionizer_held_events`: counted after the final visits are closed.
    @Test func closingIdleVisitsReportsWhatTheSessionizerStillHolds() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.path + "/events.sqlite")
        var orphan = pageview("beacon", secondsAgo: 60, path: "/", visitor: 9)
        orphan.type = .engagement
        orphan.pageLoadID = "a page load never seen"
        _ = try await store.append([pageview("a", secondsAgo: 120, path: "/"), pageview("b", secondsAgo: 60, path: "/docs"), orphan])
        #expect(store.closeIdleVisits(now: Self.now) == LiveVisitCounts(openVisits: 1, heldEvents: 3))
        // Past the final cutoff (pagehide window + lateness) the visit is final and the beacon can join nothing.
        #expect(store.closeIdleVisits(now: Self.now + 2 * 3_600_000) == LiveVisitCounts(openVisits: 0, heldEvents: 0))
    }

    /// GRDB's WAL setup turns the writer to `synchronous = NORMAL` after the connection is
    /// prepared; the store must set its durability again, or a `full` 202 would be fsynced only
    /// at the next checkpoint and not survive power loss.
    @Test(arguments: [(Durability.full, 2), (Durability.normal, 1)])
    func theWriterCommitsWithTheStoresDurability(durability: Durability, synchronous: Int) async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.path + "/events.sqlite", durability: durability)
        let level = try await store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(level == synchronous)
    }

    /// A full sessionizer closes the visits idle longest early; their rows stay as written,
    /// a late beacon for one of their pages is stored but changes no visit, and the count of
    /// visits so closed reaches `/metrics` once.
    @Test func visitsReleasedFromAFullSessionizerStayStoredAndAreCountedOnce() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.path + "/events.sqlite", sessionizer: .init(maxHeldEvents: 2))
        _ = try await store.append([
            pageview("a", secondsAgo: 300, path: "/", visitor: 1), pageview("b", secondsAgo: 200, path: "/docs", visitor: 2),
            pageview("c", secondsAgo: 100, path: "/pricing", visitor: 3),
        ])
        var late = pageview("late", secondsAgo: 50, path: "/", visitor: 1)
        late.type = .engagement
        late.pageLoadID = "pl-a"
        late.engagedMs = 30_000
        #expect(try await store.append([late]) == 1)
        // Visitor 1 went at the third page view, visitor 2 at the late beacon (itself held,
        // as it might yet meet its page view).
        #expect(store.closeIdleVisits(now: Self.now) == LiveVisitCounts(openVisits: 1, heldEvents: 2, releasedVisits: 2))
        #expect(store.closeIdleVisits(now: Self.now) == LiveVisitCounts(openVisits: 1, heldEvents: 2, releasedVisits: 0))
        let visits = try await store.visits(VisitQuery(siteID: 1, from: 0, to: Self.now + 1))
        #expect(visits.map(\.visitorID) == [1, 2, 3])
        #expect(visits.map(\.engagedMs) == [0, 0, 0])
    }

    @Test func aRestartReadsTheEventsOfEachOpenVisitOfEverySite() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.path + "/events.sqlite")
        // Visitor 7 of site 1: a final visit five hours ago, then a long visit still open
        // (a page every 20 minutes, from 200 minutes ago on).
        let long = stride(from: 200, through: 20, by: -20).map { pageview("long-\($0)", secondsAgo: Int64($0) * 60, path: "/p\($0)") }
        _ = try await store.append(long + [
            pageview("old", secondsAgo: 300 * 60, path: "/"),
            // Visitor 8 of site 1: a final visit within the time the long visit spans.
            pageview("final-8", secondsAgo: 150 * 60, path: "/", visitor: 8),
            // The same visitor id on site 2 is another visitor, with an open visit of its own.
            pageview("site2-1", secondsAgo: 30 * 60, path: "/", site: 2), pageview("site2-2", secondsAgo: 25 * 60, path: "/c", site: 2),
        ])
        let events = try await store.pool.read { db in
            try SQLiteEventStore.openVisitEvents(db, configuration: .init(), now: Self.now)
        }
        #expect(events.count == long.count + 2)
        #expect(Set(events.map(\.id)) == Set(long.map(\.id) + ["site2-1", "site2-2"]))
        #expect(events.filter { $0.siteID == 2 }.map(\.id).sorted() == ["site2-1", "site2-2"])
    }

    /// Beacons that came before their page view are held again after a restart: those of an
    /// open visit's page (stamped before the visit's start) and those still waiting for theirs.
    @Test func aRestartKeepsBeaconsThatRacedTheirPageViews() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/events.sqlite"
        func click(_ id: String, secondsAgo: Int64, pageLoad: String, visitor: VisitorID) -> Event {
            Event(id: id, siteID: 1, visitorID: visitor, type: .click, timestamp: Self.now - secondsAgo * 1000,
                  url: "https://acme.com/", path: "/", pageLoadID: pageLoad)
        }
        do {
            let store = try SQLiteEventStore(path: path)
            _ = try await store.append([click("c", secondsAgo: 100, pageLoad: "pl-v", visitor: 7)])
            _ = try await store.append([pageview("v", secondsAgo: 90, path: "/pricing")])
            _ = try await store.append([click("o", secondsAgo: 50, pageLoad: "pl-late", visitor: 9)])
            #expect(try await store.visits(VisitQuery(siteID: 1)).map(\.clicks) == [1])
        }
        let reopened = try SQLiteEventStore(path: path)
        // An earlier page view re-derives visitor 7's visit; visitor 9's page view comes late.
        _ = try await reopened.append([pageview("w", secondsAgo: 95, path: "/")])
        var late = pageview("late", secondsAgo: 55, path: "/docs", visitor: 9)
        late.pageLoadID = "pl-late"
        _ = try await reopened.append([late])
        let visits = try await reopened.visits(VisitQuery(siteID: 1)).sorted { $0.visitorID < $1.visitorID }
        #expect(visits.map(\.visitorID) == [7, 9])
        #expect(visits.map { $0.pages.map(\.path) } == [["/", "/pricing"], ["/docs"]])
        #expect(visits.map(\.clicks) == [1, 1])
    }

    /// A site whose only recent events are beacons still waiting for their page view (no open
    /// visit at all) has them read back too.
    @Test func aRestartKeepsBeaconsOfASiteWithNoOpenVisit() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/events.sqlite"
        var click = pageview("c", secondsAgo: 100, path: "/", site: 2)
        click.type = .click
        click.pageLoadID = "pl-v"
        do {
            let store = try SQLiteEventStore(path: path)
            _ = try await store.append([pageview("a", secondsAgo: 100, path: "/", site: 1)])
            _ = try await store.append([click])
            #expect(try await store.visits(VisitQuery(siteID: 2)).isEmpty)
        }
        let reopened = try SQLiteEventStore(path: path)
        _ = try await reopened.append([pageview("v", secondsAgo: 90, path: "/pricing", site: 2)])
        let visits = try await reopened.visits(VisitQuery(siteID: 2))
        #expect(visits.map(\.clicks) == [1])
        #expect(visits.map { $0.pages.map(\.path) } == [["/pricing"]])
    }

    @Test func aRetriedEventIsStoredOnce() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.path + "/events.sqlite")
        let event = pageview("same-id", secondsAgo: 10, path: "/")
        #expect(try await store.append([event]) == 1)
        #expect(try await store.append([event, event]) == 0)
        let visits = try await store.visits(VisitQuery(siteID: 1))
        #expect(visits.map(\.pageviews) == [1])
    }

    @Test func visitsPageByCursorWithoutGapsOrRepeats() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteEventStore(path: directory.path + "/events.sqlite")
        let events = (0..<25).map { pageview("e\($0)", secondsAgo: Int64(1000 - $0), path: "/", visitor: VisitorID($0)) }
        _ = try await store.append(events)
        var seen: [VisitorID] = []
        var query = VisitQuery(siteID: 1, limit: 10)
        while true {
            let page = try await store.visits(query)
            seen += page.map(\.visitorID)
            guard page.count == query.limit, let last = page.last else { break }
            query.after = VisitCursor(startedAt: last.startedAt, visitID: last.id)
        }
        #expect(seen == (0..<25).map { VisitorID($0) })
        #expect(try await store.visits(VisitQuery(siteID: 2)).isEmpty)
    }
}

/// The WAL is copied back into the database file by the store's own checkpointer, never by
/// a commit: the file takes the appended pages within a few intervals while commits run
/// with SQLite's automatic checkpoint off.
@Suite struct WALCheckpointerTests {
    @Test func theDatabaseFileTakesTheCommittedPagesWithoutACommitCheckpointing() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/events.sqlite"
        let store = try SQLiteEventStore(path: path)
        #expect(try await Int.fromDatabase(store, sql: "PRAGMA wal_autocheckpoint") == 0)
        let before = try fileSize(path)
        let traffic = LeadStoreTests.traffic
        for offset in stride(from: 0, to: traffic.count, by: 500) {
            _ = try await store.append(Array(traffic[offset..<min(offset + 500, traffic.count)]))
        }
        #expect(try fileSize(path + "-wal") > 1_000_000)
        var after = try fileSize(path)
        for _ in 0..<40 where after < before + 1_000_000 {
            try await Task.sleep(for: .milliseconds(100))
            after = try fileSize(path)
        }
        #expect(after >= before + 1_000_000)
        #expect(try await store.visits(VisitQuery(siteID: 1, limit: 10_000)).count == Sessionizer.visits(from: traffic).count)
    }

    func fileSize(_ path: String) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    }
}
