import FootfallCore
@testable import FootfallStore
import GRDB
import Testing

/// The hot + columnar store over generated traffic: compaction, the query set, crash
/// safety, corruption, retention and rebuilds all agree with visits derived from the events.
@Suite struct ColumnarStoreTests {
    static let traffic: [Event] = {
        var configuration = TrafficGenerator.Configuration(pageviews: 3_000)
        configuration.meanVisitGapMs = 20_000
        configuration.organisations = 40
        return TrafficGenerator.events(configuration).filter { !$0.userAgent.isBot }
    }()
    static let expected = Sessionizer.visits(from: traffic)
    static let start = traffic.first!.timestamp
    static let end = traffic.last!.timestamp
    static let middle = (start + end) / 2

    func loadedStore(_ directory: TemporaryDirectory, events: [Event] = traffic) async throws -> SQLiteEventStore {
        let store = try SQLiteEventStore(path: directory.path + "/events.sqlite")
        for offset in stride(from: 0, to: events.count, by: 500) {
            _ = try await store.append(Array(events[offset..<min(offset + 500, events.count)]))
        }
        return store
    }

    func allVisits(_ store: SQLiteEventStore, from: Int64 = 0, to: Int64 = .max) async throws -> [Visit] {
        var visits: [Visit] = []
        let skipped = try await store.exportVisits(AnalyticsRange(siteID: 1, from: from, to: to)) { visits.append($0) }
        #expect(skipped.isEmpty)
        return visits
    }

    func eventCount(_ store: SQLiteEventStore) async throws -> Int {
        try await store.events(siteID: 1).rows.count
    }

    @Test func compactionMovesVisitsToSegmentsWithoutLosingOrRepeatingAny() async throws {
        let directory = try TemporaryDirectory()
        let store = try await loadedStore(directory)
        #expect(try await allVisits(store) == Self.expected)

        let partial = try await store.compact(now: Self.middle)
        #expect(partial.visits > 0 && partial.events > 0)
        #expect(try await allVisits(store) == Self.expected, "half hot, half cold")

        let rest = try await store.compact()
        #expect(partial.visits + rest.visits == Self.expected.count)
        #expect(try await allVisits(store) == Self.expected)
        #expect(try await store.segments(siteID: 1, kind: .visits).count == 2)
        #expect(try await eventCount(store) == Self.traffic.count)
        let hot = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM visits")! }
        #expect(hot == 0)
    }

    /// The query set over hot rows, half-compacted and fully compacted data, against the
    /// same figures computed directly from the derived visits.
    @Test func queriesSeeHotAndColdAsOne() async throws {
        let directory = try TemporaryDirectory()
        let store = try await loadedStore(directory)
        let range = AnalyticsRange(siteID: 1, from: Self.start + (Self.end - Self.start) / 5, to: Self.end - (Self.end - Self.start) / 5)
        let inRange = Self.expected.filter { $0.startedAt >= range.from && $0.startedAt < range.to }
        for compactAt in [nil, Self.middle, Int64.max / 2] {
            if let compactAt { try await store.compact(now: compactAt) }

            let series = try await store.timeSeries(range, bucket: .hour).rows
            #expect(series.map(\.visits).reduce(0, +) == inRange.count)
            #expect(series.map(\.pageviews).reduce(0, +) == inRange.map(\.pageviews).reduce(0, +))
            let firstHour = series[0].bucketStart
            let firstVisitors = Set(inRange.filter { $0.startedAt / 3_600_000 * 3_600_000 == firstHour }.map(\.visitorID))
            #expect(series[0].uniqueVisitors == firstVisitors.count)

            var pages: [String: Int] = [:]
            for page in inRange.flatMap(\.pages) { pages[page.path, default: 0] += 1 }
            #expect(try await store.topPages(range, limit: 5).rows == SQLiteEventStore.top(pages, limit: 5))

            let dimensions: [(VisitDimension, (Visit) -> String)] = [
                (.entryPage, \.entryPage), (.exitPage, \.exitPage), (.source, \.source.source),
                (.medium, \.source.medium.rawValue), (.campaign, \.source.campaign), (.device, \.userAgent.device.rawValue),
                (.browser, \.userAgent.browser), (.os, \.userAgent.os), (.country, \.network.country),
            ]
            for (dimension, value) in dimensions {
                var counts: [String: Int] = [:]
                for visit in inRange { counts[value(visit), default: 0] += 1 }
                #expect(try await store.breakdown(range, by: dimension, limit: 8).rows == SQLiteEventStore.top(counts, limit: 8), "\(dimension)")
            }

            let organisations = try await store.organisations(range, limit: 1_000).rows
            let named = inRange.filter { !$0.network.organisation.isEmpty }
            #expect(organisations.map(\.visits).reduce(0, +) == named.count)
            let top = try #require(organisations.first)
            let theirs = inRange.filter { $0.network.organisation == top.organisation }
            #expect(top.visits == theirs.count)
            #expect(top.engagedMs == theirs.map(\.engagedMs).reduce(0, +))
            #expect(try await store.organisationVisits(range, organisation: top.organisation, limit: 10_000).rows == theirs)
            #expect(try await store.organisationVisits(range, organisation: "Nobody Inc", limit: 10).rows.isEmpty)
        }
    }

    @Test func visitPagesRunAcrossHotAndColdWithoutGapsOrRepeats() async throws {
        let directory = try TemporaryDirectory()
        let store = try await loadedStore(directory)
        try await store.compact(now: Self.middle)
        var seen: [Visit] = []
        var query = VisitQuery(siteID: 1, limit: 37)
        while true {
            let page = try await store.visits(query)
            seen += page
            guard page.count == query.limit, let last = page.last else { break }
            query.after = VisitCursor(startedAt: last.startedAt, visitID: last.id)
        }
        #expect(seen == Self.expected)
    }

    /// Each segment commits with the deletion of the rows it covers: a failure rolls back
    /// that segment only, and every visit and event stays in exactly one place.
    @Test(arguments: [CompactionStep.visitSegmentWritten, .hotVisitsDeleted, .eventSegmentWritten])
    func aCompactionFailingAtAnyStepLosesAndDuplicatesNothing(step: CompactionStep) async throws {
        let directory = try TemporaryDirectory()
        let store = try await loadedStore(directory)
        await #expect(throws: InjectedFailure(step: step)) { try await store.compact(failAt: step) }
        #expect(try await store.segments(siteID: 1, kind: .events).isEmpty)
        let visitSegments = try await store.segments(siteID: 1, kind: .visits)
        // The visit segments committed before the events' failed; the visits' own failures left none.
        #expect(visitSegments.isEmpty == (step != .eventSegmentWritten))
        #expect(try await store.visits(VisitQuery(siteID: 1, limit: 100_000)).count == Self.expected.count)
        #expect(try await allVisits(store) == Self.expected)
        #expect(try await eventCount(store) == Self.traffic.count)
        try await store.compact()
        #expect(try await allVisits(store) == Self.expected)
        #expect(try await eventCount(store) == Self.traffic.count)
    }

    /// Compaction reads and encodes segments outside the writer: an erasure arriving
    /// meanwhile must not see its rows come back inside a segment written afterwards.
    @Test func anErasureDuringCompactionStaysErased() async throws {
        let directory = try TemporaryDirectory()
        let store = try await loadedStore(directory)
        let visitor = try #require(Self.expected.max { $0.pages.count < $1.pages.count }).visitorID
        let subject = DataSubject(siteID: 1, selector: .visitor(visitor))
        async let compacted = store.compact()
        async let erased = store.erase(subject, receipt: "rcpt_during_compaction")
        let (compaction, erasure) = try await (compacted, erased)
        #expect(compaction.visits > 0 && erasure.visits > 0)
        let kept = Self.expected.filter { $0.visitorID != visitor }
        #expect(try await allVisits(store) == kept)
        #expect(try await eventCount(store) == Self.traffic.count { $0.visitorID != visitor })
        try await store.compact()
        #expect(try await allVisits(store) == kept)
    }

    @Test func aCorruptSegmentIsReportedByIDAndSkipped() async throws {
        let directory = try TemporaryDirectory()
        let store = try await loadedStore(directory)
        try await store.compact(now: Self.middle)
        try await store.compact()
        let victim = try await store.segments(siteID: 1, kind: .visits)[0]
        try await store.pool.write { db in
            try db.execute(sql: """
                UPDATE segment_columns SET data = CAST(zeroblob(length(data)) AS BLOB)
                WHERE segment_id = ? AND name = 'browser'
                """, arguments: [victim.id])
        }
        let check = try await store.checkSegments()
        #expect(check.problems.map(\.segmentID) == [victim.id])
        #expect(check.problems[0].column == "browser")
        #expect(check.problems[0].description.contains("segment \(victim.id)"))

        let range = AnalyticsRange(siteID: 1)
        let browsers = try await store.breakdown(range, by: .browser)
        #expect(browsers.skipped.map(\.segmentID) == [victim.id])
        #expect(browsers.rows.map(\.count).reduce(0, +) == Self.expected.count - victim.rowCount)
        // Columns that are intact in that segment still answer.
        #expect(try await store.breakdown(range, by: .country).skipped.isEmpty)
        let visits = try await store.visits(VisitQuery(siteID: 1, limit: 100_000))
        #expect(visits.count == Self.expected.count - victim.rowCount)
    }

    @Test func retentionDropsWholeSegments() async throws {
        let directory = try TemporaryDirectory()
        let store = try await loadedStore(directory)
        try await store.compact(now: Self.middle)
        try await store.compact()
        let segments = try await store.segments(siteID: 1, kind: .visits)
        let cutoff = segments[0].maxTime + 1
        let result = try await store.dropData(olderThan: cutoff)
        #expect(result.segments >= 1)
        let remaining = try await allVisits(store)
        #expect(remaining.count == Self.expected.count - segments[0].rowCount)
        #expect(Set(remaining.map(\.id)).isSubset(of: Self.expected.map(\.id)))
        #expect(try await store.dropData(olderThan: cutoff, siteID: 2).segments == 0)
    }

    @Test func rebuildProducesTheLiveVisits() async throws {
        let directory = try TemporaryDirectory()
        let store = try await loadedStore(directory)
        try await store.compact(now: Self.middle)
        let whole = try await store.rebuildVisits(siteID: 1)
        #expect(whole.visitsBefore == Self.expected.count && whole.visitsAfter == Self.expected.count)
        #expect(try await allVisits(store) == Self.expected)
        try await store.compact()
        try await store.rebuildVisits(siteID: 1, from: Self.middle, to: Self.end)
        #expect(try await allVisits(store) == Self.expected)
    }

    @Test func disorderedArrivalAcrossARestartGivesTheOrderedVisits() async throws {
        let directory = try TemporaryDirectory()
        var random = SeededRandom(seed: 9)
        let arrival = Self.traffic.map { ($0, $0.timestamp + Int64.random(in: 0...120_000, using: &random)) }
            .sorted { $0.1 < $1.1 }.map(\.0)
        let half = arrival.count / 2
        do { _ = try await loadedStore(directory, events: Array(arrival[..<half])) }
        // Reopened at the stream's clock: the visits open then continue from their events.
        let reopened = try SQLiteEventStore(path: directory.path + "/events.sqlite", now: arrival[half - 1].timestamp)
        #expect(reopened.openVisitCount > 0)
        for offset in stride(from: half, to: arrival.count, by: 300) {
            _ = try await reopened.append(Array(arrival[offset..<min(offset + 300, arrival.count)]) + [arrival[offset - 1]])
        }
        #expect(try await allVisits(reopened) == Self.expected)
    }
}
