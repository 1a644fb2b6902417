import FootfallCore
import Testing

/// The lead accumulator folds the sessionizer's changes: the leads depend only on the final
/// visits, whatever the order of events and however often a visit was re-derived.
@Suite struct LeadAccumulatorTests {
    static let seeds: [UInt64] = Array(1...8)
    static let now: Int64 = 1_772_000_000_000

    static func stream(seed: UInt64) -> [Event] {
        var traffic = TrafficGenerator.Configuration(pageviews: 600)
        traffic.seed = seed
        traffic.meanVisitGapMs = 60_000
        return TrafficGenerator.events(traffic)
    }

    /// Feeds events to a sessionizer and its changes to an accumulator, as the store does.
    static func live(_ events: [Event]) -> (LeadAccumulator, [Visit]) {
        var sessionizer = Sessionizer(configuration: .init())
        var accumulator = LeadAccumulator()
        var stored: [Int64: Visit] = [:]
        for event in events {
            let changes = sessionizer.ingest(event)
            accumulator.apply(upserted: changes.upserted, removed: Set(changes.removed))
            for id in changes.removed { stored[id] = nil }
            for visit in changes.upserted { stored[visit.id] = visit }
        }
        return (accumulator, Array(stored.values))
    }

    @Test(arguments: seeds) func liveEqualsRebuildAndOrderDoesNotMatter(seed: UInt64) {
        let events = Self.stream(seed: seed)
        let (live, visits) = Self.live(events)
        var rebuilt = LeadAccumulator()
        rebuilt.apply(upserted: visits.shuffled())
        let liveLeads = live.leads(now: Self.now)
        #expect(!liveLeads.isEmpty)
        #expect(liveLeads == rebuilt.leads(now: Self.now))
        var random = SeededRandom(seed: seed)
        let (shuffled, _) = Self.live(events.shuffled(using: &random))
        #expect(shuffled.leads(now: Self.now) == liveLeads)
    }

    @Test(arguments: seeds) func onlyOrganisationNetworksBecomeLeadsAndEveryLeadVisitCounts(seed: UInt64) {
        let (live, visits) = Self.live(Self.stream(seed: seed))
        let leadVisits = visits.filter { LeadIdentity(visit: $0) != nil }
        #expect(visits.contains { !$0.network.networkType.becomesLead })
        let leads = live.leads(now: Self.now)
        #expect(leads.reduce(0) { $0 + $1.visits } == leadVisits.count)
        #expect(leads.reduce(0) { $0 + $1.pageviews } == leadVisits.reduce(0) { $0 + $1.pageviews })
        for lead in leads {
            #expect(lead.id.hasPrefix("ld_") && lead.id.count == 19)
            #expect((0...100).contains(lead.score))
            #expect(lead.scoreExplanation.reduce(0) { $0 + $1.points } == lead.score)
            #expect(lead.firstSeen <= lead.lastSeen)
        }
    }

    @Test func aReDerivedVisitReplacesItsOldVersionAndRemovalFoldsOut() {
        let network = NetworkInfo(organisation: "Acme", domain: "acme.example", asn: 1, networkType: .business, country: "DE", storedIP: "")
        let first = Visit(id: 1, siteID: 1, visitorID: 5, startedAt: 1_000, endedAt: 2_000,
                          pages: [VisitPage(path: "/", viewedAt: 1_000, pageLoadID: "a")], network: network)
        var longer = first
        longer.endedAt = 9_000
        longer.pages.append(VisitPage(path: "/pricing", viewedAt: 9_000, pageLoadID: "b"))
        var accumulator = LeadAccumulator()
        accumulator.apply(upserted: [first])
        accumulator.apply(upserted: [longer])
        var direct = LeadAccumulator()
        direct.apply(upserted: [longer])
        let leads = accumulator.leads(now: 10_000)
        #expect(leads == direct.leads(now: 10_000))
        #expect(leads.first?.pageviews == 2 && leads.first?.visits == 1 && leads.first?.lastSeen == 9_000)
        #expect(leads.first?.keyPages == ["/pricing*": 1])
        accumulator.apply(upserted: [], removed: [1])
        #expect(accumulator.leads(now: 10_000).isEmpty)
    }

    @Test func aLeadWithNoVisitsLeftScoresNothingNotEvenAccountFit() throws {
        let network = NetworkInfo(organisation: "Acme", domain: "acme.example", asn: 1, networkType: .business, country: "DE", storedIP: "")
        let visit = Visit(id: 1, siteID: 1, visitorID: 5, startedAt: 1_000, endedAt: 2_000,
                          pages: [VisitPage(path: "/pricing", viewedAt: 1_000, pageLoadID: "a")], network: network)
        let identity = try #require(LeadIdentity(visit: visit))
        let account = Account(domain: "acme.example", name: "Acme", employees: 5_000, tier: "1")
        var tally = LeadTally()
        tally.fold(VisitContribution(visit: visit), sign: 1)
        let live = tally.lead(identity: identity, firstSeen: 1_000, lastSeen: 2_000, account: account, settings: LeadSettings(), now: 3_000)
        #expect(live.score > 0 && live.scoreExplanation.contains { $0.signal.hasPrefix("fit:") })
        tally.fold(VisitContribution(visit: visit), sign: -1)
        let erased = tally.lead(identity: identity, firstSeen: 0, lastSeen: 0, account: account, settings: LeadSettings(), now: 3_000)
        #expect(erased.isTombstone && erased.score == 0 && erased.scoreExplanation.isEmpty)
    }
}
