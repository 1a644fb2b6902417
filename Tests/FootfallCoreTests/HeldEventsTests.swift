@testable import FootfallCore
import Testing

/// The live sessionizer's compact encoding of a visitor's events gives back exactly what it was given.
@Suite struct HeldEventsTests {
    typealias F = EventFixtures

    /// Events in (time, id) order with what the encoding has to carry: shared and changed
    /// contexts, beacons with none, non-ASCII and empty texts, a multi-byte length, negative
    /// and extreme numbers, two events in the same millisecond.
    static func events() -> (events: [FoldedEvent], texts: Interner) {
        var moved = F.pageview("c", at: 2, path: "/docs", pageLoad: "")
        moved.network.city = "Zürich"
        var long = F.pageview("e", at: 3, path: "/" + String(repeating: "é", count: 200))
        long.referrer = "https://news.example/ünïcode?q=" + String(repeating: "x", count: 300)
        var extreme = F.engagement("f", at: 3, pageLoad: "pl-e", engagedMs: .max, scroll: -5)
        extreme.timestamp = long.timestamp
        var interner = Interner()
        let first = FoldedEvent(F.pageview("a", at: -1, path: "/"), interner: &interner)
        let second = FoldedEvent(F.pageview("b", at: 1, path: "/pricing"), sharing: first.context, interner: &interner)
        let third = FoldedEvent(moved, sharing: second.context, interner: &interner)
        let beacon = FoldedEvent(
            F.engagement("d", at: 2.5, pageLoad: "pl-b", engagedMs: 12_345, scroll: 80), interner: &interner)
        let fifth = FoldedEvent(long, sharing: third.context, interner: &interner)
        let sixth = FoldedEvent(extreme, interner: &interner)
        return ([first, second, third, beacon, fifth, sixth], interner)
    }

    static func fields(_ event: FoldedEvent) -> [String] {
        [event.id, "\(event.type)", "\(event.timestamp)", event.path, event.referrer, event.pageLoadID,
         "\(event.engagedMs)", "\(event.maxScrollPercent)", "\(event.pathNumber)", "\(event.referrerNumber)"]
    }

    @Test func decodingGivesBackEveryFieldAndSharedContexts() {
        let (events, texts) = Self.events()
        let held = HeldEvents(events)
        let decoded = held.decoded(texts: texts)
        #expect(held.count == events.count)
        #expect(decoded.map(Self.fields) == events.map(Self.fields))
        for (original, copy) in zip(events, decoded) { #expect(original.context === copy.context) }
        #expect(decoded[0].context === decoded[1].context && decoded[1].context !== decoded[2].context)
        #expect(held.ids == events.map(\.id))
        #expect(held.firstTimestamp == events[0].timestamp)
        #expect(held.lastTimestamp == events[5].timestamp)
        #expect(held.lastContext === events[4].context, "the engagement beacon after it holds none")
    }

    @Test func findsIdsAndTheLastEventByTimeThenID() {
        let events = Self.events().events
        let held = HeldEvents(events)
        #expect(events.allSatisfy { held.contains(id: $0.id) })
        #expect(!held.contains(id: "g") && !held.contains(id: "") && !held.contains(id: "aa"))
        var sameMillisecond = events[5]
        sameMillisecond.id = "e0"  // before "f" at the same time
        #expect(held.lastFollows(sameMillisecond))
        sameMillisecond.id = "g"
        #expect(!held.lastFollows(sameMillisecond))
        #expect(held.lastFollows(events[3]))
        #expect(!HeldEvents().lastFollows(events[0]))
    }

    @Test func knowsWhichPageLoadsHaveOnlyBeacons() {
        let held = HeldEvents(Self.events().events)
        #expect(!held.holdsOnlyBeacons(of: "pl-b"), "its page view is held")
        #expect(!held.holdsOnlyBeacons(of: "pl-x"), "nothing of it is held")
        var interner = Interner()
        let early = HeldEvents([
            FoldedEvent(F.engagement("d", at: 0, pageLoad: "pl-z", engagedMs: 1, scroll: 1), interner: &interner)
        ])
        #expect(early.holdsOnlyBeacons(of: "pl-z"))
    }

    @Test func releasingOldEventsKeepsTheRestIntact() {
        let (events, texts) = Self.events()
        var held = HeldEvents(events)
        held.removeAll(before: events[2].timestamp) { _, _ in false }
        #expect(held.decoded(texts: texts).map(Self.fields) == events.dropFirst(2).map(Self.fields))
        #expect(held.firstTimestamp == events[2].timestamp)
        #expect(held.count == 4 && held.ids == events.dropFirst(2).map(\.id))
        var sameMillisecond = events[5]
        sameMillisecond.id = "e0"
        #expect(held.lastFollows(sameMillisecond), "the last event is still found after the shift")
        var interner = texts
        held.append(FoldedEvent(F.engagement("g", at: 4, pageLoad: "pl-e", engagedMs: 1, scroll: 1), interner: &interner))
        held.removeAll(before: events[5].timestamp + 1) { _, _ in false }
        #expect(held.ids == ["g"] && held.decoded(texts: texts)[0].engagedMs == 1)
        #expect(held.lastFollows(events[5]))
        held.removeAll(before: .max) { _, _ in false }
        #expect(held.isEmpty && held.firstTimestamp == nil && held.lastContext == nil)
    }

    /// When only kept beacons remain, the last event is the last of them, and events appended
    /// after it keep their times.
    @Test func keptBeaconsAloneBecomeTheLastEvents() {
        var interner = Interner()
        let view = FoldedEvent(F.pageview("a", at: 1, path: "/"), interner: &interner)
        let beacon = FoldedEvent(F.engagement("b", at: 2, pageLoad: "pl-x", engagedMs: 5, scroll: 5), interner: &interner)
        let later = FoldedEvent(F.pageview("c", at: 3, path: "/docs"), interner: &interner)
        var held = HeldEvents([view, beacon, later])
        held.removeAll(before: later.timestamp + 1) { pageLoadID, _ in pageLoadID == "pl-x" }
        #expect(held.ids == ["b"] && held.lastTimestamp == beacon.timestamp)
        let next = FoldedEvent(F.pageview("d", at: 4, path: "/pricing"), interner: &interner)
        held.append(next)
        #expect(held.decoded(texts: interner).map(\.timestamp) == [beacon.timestamp, next.timestamp])
        #expect(!held.lastFollows(next) && held.lastFollows(later))
    }

    /// Only the texts held events use are kept in the interner's numbering.
    @Test func marksThePathsAndReferrersItHolds() {
        let (events, texts) = Self.events()
        var held = HeldEvents(events)
        held.removeAll(before: events[4].timestamp) { _, _ in false }
        var used = [Bool](repeating: false, count: texts.textNumberLimit)
        held.markTexts(&used)
        let kept = Set(events.dropFirst(4).flatMap { [Int($0.pathNumber), Int($0.referrerNumber)] })
        #expect(Set(used.indices.filter { used[$0] }) == kept)
        #expect(!used[Int(events[0].pathNumber)] && !used[Int(events[1].pathNumber)])
    }
}
