import FootfallCore
@testable import FootfallStore
import Foundation
import GRDB
import Synchronization
import Testing

/// A settable clock for the store's lead scoring (ms since the epoch).
final class TestClock: Sendable {
    private let value: Mutex<Int64>
    init(_ start: Int64) { value = Mutex(start) }
    var now: Int64 { value.withLock { $0 } }
    func advance(by ms: Int64) { value.withLock { $0 += ms } }
}

/// The lead store: leads maintained in the visit commit equal leads rebuilt from visits,
/// the change feed has no gaps, queries filter and page, accounts and decay re-score.
@Suite struct LeadStoreTests {
    static let site = Site(id: 1, tenantID: 7, key: "s_leads", name: "Leads", domains: ["example.com"])
    static let traffic: [Event] = {
        var configuration = TrafficGenerator.Configuration(pageviews: 2_500)
        configuration.meanVisitGapMs = 15_000
        configuration.organisations = 30
        return TrafficGenerator.events(configuration).filter { !$0.userAgent.isBot }
    }()
    static let end = traffic.last!.timestamp
    static let scoredAt = end + 3 * Timestamp.msPerDay

    /// Events in arrival order with each delayed by up to two minutes (late beacons).
    static func disordered(_ events: [Event], seed: UInt64) -> [Event] {
        var random = SeededRandom(seed: seed)
        return events.map { ($0, $0.timestamp + Int64.random(in: 0...120_000, using: &random)) }
            .sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }.map(\.0)
    }

    static func open(_ directory: TemporaryDirectory, clock: TestClock) throws -> SQLiteEventStore {
        try SQLiteEventStore(path: directory.path + "/events.sqlite", clock: { clock.now })
    }

    static func append(_ events: ArraySlice<Event>, to store: any EventStore) async throws {
        for offset in stride(from: events.startIndex, to: events.endIndex, by: 300) {
            _ = try await store.append(Array(events[offset..<min(offset + 300, events.endIndex)]))
        }
    }

    static func allLeads(_ store: any LeadReader, sort: LeadSort = .scoreDescending, limit: Int = 1000) async throws -> [Lead] {
        var query = LeadQuery(siteIDs: [1])
        query.sort = sort
        query.limit = limit
        var leads: [Lead] = []
        while true {
            let page = try await store.leads(query)
            leads += page.leads
            guard let next = page.nextCursor else { return leads }
            query.after = next
        }
    }

    @Test func rebuildEqualsLiveAfterDisorderedIngestCompactionAndRestart() async throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock(Self.scoredAt)
        let events = Self.disordered(Self.traffic, seed: 3)
        let half = events.count / 2
        do {
            let store = try Self.open(directory, clock: clock)
            try await store.registerLeadSites([Self.site])
            try await Self.append(events[..<half], to: store)
            _ = try await store.compact(now: events[half].timestamp)
        }
        let store = try SQLiteEventStore(path: directory.path + "/events.sqlite", now: events[half].timestamp, clock: { clock.now })
        try await Self.append(events[half...], to: store)
        _ = try await store.compact(now: Self.end + Timestamp.msPerDay)

        let live = try await Self.allLeads(store)
        #expect(live.count > 10)
        var expected = LeadAccumulator()
        expected.apply(upserted: Sessionizer.visits(from: Self.traffic))
        #expect(live.map(\.withoutChangeStamp) == expected.leads(now: Self.scoredAt).map(\.withoutChangeStamp))

        let count = try await store.rebuildLeads(siteIDs: [1])
        let rebuilt = try await Self.allLeads(store)
        #expect(count == live.count)
        #expect(rebuilt.map(\.withoutChangeStamp) == live.map(\.withoutChangeStamp))
        #expect(rebuilt.map(\.changeSeq).min()! > live.map(\.changeSeq).max()!, "a rebuild announces every lead again")
    }

    @Test func leadVisitsAreReadableAfterCompaction() async throws {
        let directory = try TemporaryDirectory()
        let store = try Self.open(directory, clock: TestClock(Self.scoredAt))
        try await Self.append(Self.traffic[...], to: store)
        let lead = try #require(try await Self.allLeads(store).first { $0.visits >= 3 })
        let before = try await store.visits(of: lead, limit: 1000).visits
        _ = try await store.compact(now: Self.end + Timestamp.msPerDay)
        let hot = try await Int.fromDatabase(store, sql: "SELECT COUNT(*) FROM visits")
        #expect(hot == 0)
        let after = try await store.visits(of: lead, limit: 1000).visits
        #expect(before.count == lead.visits)
        #expect(after == before)
        #expect(after.map(\.startedAt) == after.map(\.startedAt).sorted(by: >))
        let firstPage = try await store.visits(of: lead, limit: 2)
        let secondPage = try await store.visits(of: lead, limit: 1000, before: firstPage.next)
        #expect(firstPage.visits + secondPage.visits == after)
    }

    @Test func changeFeedHasNoGapsUnderConcurrentWriters() async throws {
        let directory = try TemporaryDirectory()
        let store = try Self.open(directory, clock: TestClock(Self.scoredAt))
        try await store.registerLeadSites([Self.site])
        let writers = 4
        let slices = (0..<writers).map { index in Self.traffic.enumerated().filter { $0.offset % writers == index }.map(\.element) }
        let seen = Mutex<[String: Lead]>([:])
        let done = Atomic<Bool>(false)
        let consumer = Task {
            var cursor: Int64 = 0
            var pages = 0
            while true {
                let finished = done.load(ordering: .acquiring)
                let changes = try await store.leadChanges(tenantID: 7, siteID: nil, after: cursor, limit: 50)
                #expect(zip(changes, changes.dropFirst()).allSatisfy { $0.changeSeq < $1.changeSeq })
                for lead in changes { seen.withLock { $0[lead.id] = lead } }
                cursor = changes.last?.changeSeq ?? cursor
                pages += 1
                if finished && changes.isEmpty { return pages }
                if changes.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slice in slices {
                group.addTask { try await Self.append(slice[...], to: store) }
            }
            try await group.waitForAll()
        }
        done.store(true, ordering: .releasing)
        let pages = try await consumer.value
        let final = try await Self.allLeads(store)
        #expect(pages > 1)
        // Leads whose visits all moved to other leads while events arrived out of order are
        // announced once more as tombstones (0 visits) and are not listed.
        let latest = seen.withLock { $0 }
        #expect(latest.filter { $0.value.visits > 0 } == Dictionary(uniqueKeysWithValues: final.map { ($0.id, $0) }))
        #expect(latest.values.filter { $0.visits == 0 }.allSatisfy { $0.score == 0 && $0.scoreExplanation.isEmpty })
        #expect(try await store.leadChanges(tenantID: 8, siteID: nil, after: 0, limit: 10).isEmpty, "another tenant sees nothing")
    }

    @Test func filtersSortsAndCursorsAgreeWithTheFullList() async throws {
        let directory = try TemporaryDirectory()
        let store = try Self.open(directory, clock: TestClock(Self.scoredAt))
        try await Self.append(Self.traffic[...], to: store)
        let all = try await Self.allLeads(store)
        #expect(all == all.sorted { ($1.score, $1.id) < ($0.score, $0.id) })
        #expect(try await Self.allLeads(store, limit: 3) == all, "pages of 3 concatenate to the full list")
        let byLastSeen = try await Self.allLeads(store, sort: .lastSeenAscending, limit: 4)
        #expect(byLastSeen == all.sorted { ($0.lastSeen, $0.id) < ($1.lastSeen, $1.id) })

        var query = LeadQuery(siteIDs: [1])
        query.minScore = all[all.count / 2].score
        query.networkType = .business
        query.page = PathPattern("/pricing*")
        query.limit = 1000
        let filtered = try await store.leads(query).leads
        let expected = all.filter {
            $0.score >= query.minScore! && $0.networkType == .business && ($0.keyPages["/pricing*"] ?? 0) > 0
        }
        #expect(!filtered.isEmpty)
        #expect(filtered == expected)

        query = LeadQuery(siteIDs: [1])
        query.source = "SEARCH"
        query.country = "de"
        let organic = try await store.leads(query).leads
        #expect(!organic.isEmpty && organic.allSatisfy { $0.country == "DE" && $0.sources.contains { $0.name.hasPrefix("search/") } })
        #expect(try await store.leads(LeadQuery(siteIDs: [2])).leads.isEmpty)
        let one = all[0]
        #expect(try await store.lead(id: one.id, siteIDs: [1]) == one)
        #expect(try await store.lead(id: one.id, siteIDs: [2]) == nil)
    }

    @Test func accountsAndSettingsReScoreAndAnnounceOnlyTheLeadsThatChanged() async throws {
        let directory = try TemporaryDirectory()
        let store = try Self.open(directory, clock: TestClock(Self.scoredAt))
        try await store.registerLeadSites([Self.site])
        try await Self.append(Self.traffic[...], to: store)
        let before = try await Self.allLeads(store)
        let target = try #require(before.first { !$0.domain.isEmpty && $0.score < 70 })
        let account = Account(domain: target.domain, name: "Target", industry: "Software", employees: 5_000, tier: "1")
        #expect(try await store.replaceAccounts(tenantID: 7, with: [account]) == 1)
        let after = try #require(try await store.lead(id: target.id, siteIDs: [1]))
        #expect(after.account == account && after.targetAccount)
        #expect(after.score == target.score + 25)
        #expect(after.scoreExplanation.contains(ScoreContribution(signal: "fit:tier", value: "tier 1", points: 15)))
        #expect(after.changeSeq > before.map(\.changeSeq).max()!)
        var query = LeadQuery(siteIDs: [1])
        query.targetAccount = true
        query.industry = "software"
        #expect(try await store.leads(query).leads.map(\.id) == [target.id])

        var site = Self.site
        site.leads.keyPages = []
        #expect(try await store.registerLeadSites([site]) > 0)
        #expect(try await store.registerLeadSites([site]) == 0, "unchanged settings re-score nothing")
        let plain = try await Self.allLeads(store)
        #expect(plain.allSatisfy { $0.keyPages.isEmpty && $0.scoreExplanation.allSatisfy { !$0.signal.hasPrefix("key_page") } })

        // New patterns: every lead's hits are counted again from its pages, as from scratch.
        site.leads.keyPages = LeadSettings.keyPages(from: "/sign*:20,/log*:-5,/:10")!
        #expect(try await store.registerLeadSites([site]) > 0)
        var expected = LeadAccumulator()
        expected.apply(upserted: Sessionizer.visits(from: Self.traffic))
        let recounted = expected.leads(
            settings: { _ in site.leads }, account: { $0 == account.domain ? account : nil }, now: Self.scoredAt)
        #expect(try await Self.allLeads(store).map(\.withoutChangeStamp) == recounted.map(\.withoutChangeStamp))
        #expect(recounted.contains { $0.keyPages.count == 3 })
    }

    @Test func dailyRescoreAnnouncesLeadsWhoseDecayedScoreMovedFivePoints() async throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock(Self.end)
        let store = try Self.open(directory, clock: clock)
        try await store.registerLeadSites([Self.site])
        try await Self.append(Self.traffic[...], to: store)
        let fresh = try await Self.allLeads(store)
        let lastSeq = fresh.map(\.changeSeq).max()!
        #expect(try await store.rescoreLeads(minimumScoreChange: 5) == 0, "nothing decayed yet")
        clock.advance(by: 14 * Timestamp.msPerDay)
        let bumped = try await store.rescoreLeads(minimumScoreChange: 5)
        let changes = try await store.leadChanges(tenantID: 7, siteID: 1, after: lastSeq, limit: 1000)
        #expect(bumped > 0 && bumped == changes.count && bumped < fresh.count)
        for lead in changes {
            let old = fresh.first { $0.id == lead.id }!
            #expect(old.score - lead.score >= 5)
            #expect(lead.scoreExplanation.contains { $0.signal == "recency" })
            #expect(lead.updatedAt == clock.now)
        }
        let unchanged = Set(fresh.map(\.id)).subtracting(changes.map(\.id))
        for lead in try await Self.allLeads(store) where unchanged.contains(lead.id) {
            #expect(lead == fresh.first { $0.id == lead.id }!)
        }
    }
}

extension Int {
    static func fromDatabase(_ store: SQLiteEventStore, sql: String) async throws -> Int {
        try await store.pool.read { db in try Int.fetchOne(db, sql: sql)! }
    }
}

/// Match source, region and city travel event → visit → lead, through compaction and rebuild.
@Suite struct LeadMatchSourceTests {
    @Test func matchSourceAndPlaceSurviveCompactionAndRebuild() async throws {
        let directory = try TemporaryDirectory()
        let start: Int64 = 1_700_000_000_000
        let store = try SQLiteEventStore(path: directory.path + "/events.sqlite", clock: { start + 60_000 })
        let network = NetworkInfo(
            organisation: "Acme Corp", domain: "acme.example", asn: 64500, networkType: .business, country: "FR",
            storedIP: "203.0.113.0", region: "Île-de-France", city: "Paris", matchSource: .customRange)
        let events = ["/", "/pricing"].enumerated().map { index, path in
            Event(id: "e\(index)", siteID: 1, visitorID: 42, type: .pageview, timestamp: start + Int64(index) * 1000,
                  url: "https://example.com\(path)", path: path, pageLoadID: "p\(index)", network: network)
        }
        _ = try await store.append(events)
        let lead = try #require(try await store.leads(LeadQuery(siteIDs: [1])).leads.first)
        #expect((lead.matchSource, lead.confidence, lead.region, lead.city) == (.customRange, .high, "Île-de-France", "Paris"))
        #expect(lead.scoreExplanation.contains(ScoreContribution(signal: "fit:confidence", value: "high (custom_range)", points: 10)))

        _ = try await store.compact(now: start + 2 * Timestamp.msPerDay)
        let visit = try #require(try await store.visits(of: lead, limit: 10).visits.first)
        #expect((visit.network.matchSource, visit.network.region, visit.network.city) == (.customRange, "Île-de-France", "Paris"))
        let stored = try await store.events(siteID: 1).rows
        #expect(stored.map(\.network.matchSource) == [.customRange, .customRange])
        try await store.rebuildLeads(siteIDs: [1])
        let rebuilt = try #require(try await store.lead(id: lead.id, siteIDs: [1]))
        #expect(rebuilt.withoutChangeStamp == lead.withoutChangeStamp)
    }
}
