import FootfallCore
@testable import FootfallStore
import GRDB
import Testing

/// A retried beacon is stored once for a day, also after compaction removed its hot row.
@Suite struct RecentEventIDsTests {
    static let hour: Int64 = 3_600_000

    @Test func aRetryOfACompactedEventIsStoredOnceWithinADay() async throws {
        let directory = try TemporaryDirectory()
        let all = ColumnarStoreTests.traffic
        let end = all.last!.timestamp
        let events = all.filter { $0.timestamp >= end - 20 * Self.hour }
        let store = try SQLiteEventStore(path: directory.path + "/events.sqlite")
        #expect(try await store.append(events) == events.count)
        let now = end + 2 * Self.hour
        let compacted = try await store.compact(now: now)
        #expect(compacted.events == events.count, "every event is old enough to be compacted")
        let hot = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events")! }
        #expect(hot == 0)

        #expect(try await store.append(events) == 0, "retries of compacted events are skipped")
        #expect(try await store.events(siteID: 1).rows.count == events.count)
        var visits: [Visit] = []
        _ = try await store.exportVisits(AnalyticsRange(siteID: 1, from: 0, to: .max)) { visits.append($0) }
        #expect(visits == Sessionizer.visits(from: events))

        // A day and more later the ids are forgotten (compaction prunes them).
        _ = try await store.compact(now: end + 26 * Self.hour)
        let remembered = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM compacted_event_ids")! }
        #expect(remembered == 0)
    }
}
