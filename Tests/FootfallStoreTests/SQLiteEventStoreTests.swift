import FootfallCore
import FootfallStore
import Testing

@Suite struct SQLiteEventStoreTests {
    static let now = Timestamp.nowMs()

    func pageview(_ id: String, secondsAgo: Int64, path: String, visitor: VisitorID = 7) -> Event {
        Event(id: id, siteID: 1, visitorID: visitor, type: .pageview, timestamp: Self.now - secondsAgo * 1000,
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
