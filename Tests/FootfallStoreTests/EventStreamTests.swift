import FootfallCore
@testable import FootfallStore
import Foundation
import Testing

/// `/api/v1/events` streams through ``EventStream``: the same events as reading the range
/// whole, in (time, id) order, in several windows, even when a compaction runs mid-stream.
@Suite struct EventStreamTests {
    typealias Fixture = LeadStoreTests

    static func drain(_ stream: inout SQLiteEventStream, compactingAfterFirstBatch store: SQLiteEventStore? = nil) async throws -> (events: [Event], batches: Int) {
        var events: [Event] = []
        var batches = 0
        while let batch = try await stream.nextBatch() {
            events += batch
            batches += 1
            if batches == 1, let store { _ = try await store.compact(now: Fixture.end + Timestamp.msPerDay) }
        }
        return (events, batches)
    }

    @Test func streamsWhatAWholeReadReturnsAcrossHotRowsAndSegments() async throws {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        let half = Fixture.traffic.count / 2
        try await Fixture.append(Fixture.traffic[..<half], to: store)
        _ = try await store.compact(now: Fixture.traffic[half].timestamp)
        try await Fixture.append(Fixture.traffic[half...], to: store)
        #expect(try await store.segments(siteID: 1, kind: .events).count > 0)

        let whole = try await store.events(siteID: 1).rows
        var stream = SQLiteEventStream(store: store, siteID: 1, from: 0, to: .max)
        let streamed = try await Self.drain(&stream)
        #expect(streamed.events == whole)
        #expect(streamed.batches > 1)
        #expect(stream.skipped.isEmpty)

        let from = Fixture.traffic[half / 2].timestamp, to = Fixture.traffic[half + half / 2].timestamp
        var part = SQLiteEventStream(store: store, siteID: 1, from: from, to: to)
        #expect(try await Self.drain(&part).events == store.events(siteID: 1, from: from, to: to).rows)
        var otherSite = SQLiteEventStream(store: store, siteID: 2, from: 0, to: .max)
        #expect(try await otherSite.nextBatch() == nil)
    }

    @Test func aCompactionDuringTheStreamNeitherRepeatsNorLosesEvents() async throws {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        try await Fixture.append(Fixture.traffic[...], to: store)
        let whole = try await store.events(siteID: 1).rows
        var stream = SQLiteEventStream(store: store, siteID: 1, from: 0, to: .max)
        let streamed = try await Self.drain(&stream, compactingAfterFirstBatch: store)
        #expect(try await store.segments(siteID: 1, kind: .events).count > 0)
        #expect(streamed.events.map(\.id) == whole.map(\.id))
    }
}
