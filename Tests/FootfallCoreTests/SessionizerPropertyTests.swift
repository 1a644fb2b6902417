@testable import FootfallCore
import Testing

/// Properties of sessionizing over generated streams (seeded, so a failure reproduces):
/// the visits depend on the events alone, never on arrival order or duplicates.
@Suite struct SessionizerPropertyTests {
    typealias F = EventFixtures
    static let seeds: [UInt64] = Array(1...12)
    static let configuration = Sessionizer.Configuration()

    /// A small stream of many interleaved visitors (few visitors so visits chain and split).
    static func stream(seed: UInt64) -> [Event] {
        var traffic = TrafficGenerator.Configuration(pageviews: 400)
        traffic.seed = seed
        traffic.meanVisitGapMs = 60_000
        traffic.botShare = 0.05
        return TrafficGenerator.events(traffic)
    }

    /// Feeds `events` to a live sessionizer in the given order and applies its changes the
    /// way the store does, returning the stored visits.
    static func incremental(_ events: [Event]) -> [Visit] {
        var sessionizer = Sessionizer(configuration: configuration)
        var stored: [Int64: Visit] = [:]
        for event in events {
            let changes = sessionizer.ingest(event)
            for id in changes.removed { stored[id] = nil }
            for visit in changes.upserted { stored[visit.id] = visit }
        }
        return stored.values.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
    }

    /// Arrival order with each event delayed by up to `window` milliseconds.
    static func disordered(_ events: [Event], window: Int64, seed: UInt64) -> [Event] {
        var random = SeededRandom(seed: seed &* 7919)
        return events.map { ($0, $0.timestamp + Int64.random(in: 0...window, using: &random)) }
            .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }.map(\.0)
    }

    @Test(arguments: seeds) func everyPageviewIsInExactlyOneVisit(seed: UInt64) {
        let events = Self.stream(seed: seed)
        let visits = Sessionizer.visits(from: events)
        let viewed = visits.flatMap { $0.pages.map(\.pageLoadID) }
        let expected = events.filter { $0.type == .pageview }.map(\.pageLoadID)
        #expect(viewed.count == expected.count)
        #expect(Set(viewed) == Set(expected))
    }

    @Test(arguments: seeds) func visitsOfAVisitorDoNotOverlap(seed: UInt64) {
        let visits = Sessionizer.visits(from: Self.stream(seed: seed))
        let byVisitor = Dictionary(grouping: visits, by: \.visitorID)
        for visits in byVisitor.values {
            let ordered = visits.sorted { $0.startedAt < $1.startedAt }
            for (earlier, later) in zip(ordered, ordered.dropFirst()) {
                #expect(earlier.endedAt <= later.startedAt, "visits \(earlier.id) and \(later.id) overlap")
            }
        }
    }

    @Test(arguments: seeds) func incrementalEqualsRebuild(seed: UInt64) {
        let events = Self.stream(seed: seed)
        #expect(Self.incremental(events) == Sessionizer.visits(from: events))
    }

    @Test(arguments: seeds) func shuffledArrivalWithinTheWindowEqualsOrderedArrival(seed: UInt64) {
        let events = Self.stream(seed: seed)
        let shuffled = Self.disordered(events, window: Self.configuration.latenessMs, seed: seed)
        #expect(shuffled != events)
        #expect(Self.incremental(shuffled) == Self.incremental(events))
    }

    @Test(arguments: seeds) func duplicatesFoldExactlyOnce(seed: UInt64) {
        let events = Self.stream(seed: seed)
        var random = SeededRandom(seed: seed)
        var withRetries: [Event] = []
        for event in events {
            withRetries.append(event)
            if Double.random(in: 0..<1, using: &random) < 0.2 { withRetries.append(event) }
        }
        let shuffled = Self.disordered(withRetries, window: 60_000, seed: seed)
        #expect(Self.incremental(shuffled) == Sessionizer.visits(from: events))
        #expect(Sessionizer.visits(from: withRetries) == Sessionizer.visits(from: events))
    }

    /// Closing final visits as time passes releases their events and gives their paths' and
    /// referrers' numbers to new texts; the visits still equal the rebuild's.
    @Test(arguments: seeds) func closingFinalVisitsAlongTheWayChangesNoVisit(seed: UInt64) {
        let events = Self.stream(seed: seed)
        let arrivals = Self.disordered(events, window: Self.configuration.latenessMs, seed: seed)
        var sessionizer = Sessionizer(configuration: Self.configuration)
        var stored: [Int64: Visit] = [:]
        var closed = 0
        for (index, event) in arrivals.enumerated() {
            let changes = sessionizer.ingest(event)
            for id in changes.removed { stored[id] = nil }
            for visit in changes.upserted { stored[visit.id] = visit }
            // An event arrives no earlier than its timestamp, so this `now` is never ahead.
            if index % 20 == 0 { closed += sessionizer.closeIdle(now: event.timestamp).count }
        }
        #expect(closed > 0)
        #expect(stored.values.sorted { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) } == Sessionizer.visits(from: events))
        // Once every visit is final, nothing is held: numbers of released texts are given again.
        let limit = sessionizer.interner.textNumberLimit
        _ = sessionizer.closeIdle(now: arrivals.map(\.timestamp).max()! + 24 * 60 * 60 * 1000)
        #expect(sessionizer.heldEventCount == 0)
        var interner = sessionizer.interner
        #expect(interner.textNumber("/a-page-never-seen") < limit)
    }

    @Test func aPagehideBeaconAfterTheTimeoutJoinsItsPage() {
        let visits = Sessionizer.visits(from: [
            F.pageview("a", at: 0, path: "/", pageLoad: "p1"),
            F.pageview("b", at: 1, path: "/pricing", pageLoad: "p2"),
            F.engagement("e", at: 50, pageLoad: "p2", engagedMs: 90_000, scroll: 80),
            F.engagement("too-late", at: 62, pageLoad: "p1", engagedMs: 99_000, scroll: 99),
        ])
        #expect(visits.count == 1)
        #expect(visits[0].pages[1].engagedMs == 90_000)
        #expect(visits[0].pages[0].engagedMs == 0, "a beacon after the visit is final changes nothing")
        #expect(visits[0].endedAt == F.base + F.minute, "a late beacon does not stretch the visit")
    }

    @Test func aBeaconWithoutItsPageStartsNoVisit() {
        var sessionizer = Sessionizer()
        #expect(sessionizer.ingest(F.engagement("e", at: 0, pageLoad: "unknown", engagedMs: 1_000, scroll: 10)) == .init())
        #expect(sessionizer.openVisitCount == 0)
    }

    @Test func aLateEventThatBridgesTwoVisitsMergesThem() {
        var sessionizer = Sessionizer()
        let first = sessionizer.ingest(F.pageview("a", at: 0, path: "/")).upserted[0]
        let second = sessionizer.ingest(F.pageview("c", at: 50, path: "/docs")).upserted[0]
        #expect(first.id != second.id)
        let bridged = sessionizer.ingest(F.pageview("b", at: 25, path: "/pricing"))
        #expect(bridged.removed == [second.id])
        #expect(bridged.upserted.map(\.pages.count) == [3])
        #expect(bridged.upserted[0].id == first.id)
    }

    @Test func anEarlierFirstEventRenamesTheVisitDeterministically() {
        var sessionizer = Sessionizer()
        let late = sessionizer.ingest(F.pageview("b", at: 5, path: "/pricing")).upserted[0]
        let changes = sessionizer.ingest(F.pageview("a", at: 2, path: "/"))
        #expect(changes.removed == [late.id])
        #expect(changes.upserted.map(\.entryPage) == ["/"])
        #expect(changes.upserted[0].id == Sessionizer.visits(from: [F.pageview("a", at: 2, path: "/")])[0].id)
    }
}
