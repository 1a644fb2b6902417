import FootfallCore
import Testing

/// Alert rules over two states of a lead: upward crossings only, key-page hits, target
/// accounts' new visits, and never on changes without visitor activity.
@Suite struct AlertTriggerTests {
    /// A lead after `visits` visits and `pageviews` page views, last seen at `lastSeen`.
    static func lead(score: Int, visits: Int = 1, pageviews: Int = 1, lastSeen: Int64 = 1_000,
                     keyPages: [String: Int] = [:], account: Account? = nil) -> Lead {
        Lead(id: "ld_00000000000000a1", siteID: 1, organisation: "Acme GmbH", domain: "acme.example",
             networkType: .business, firstSeen: 500, lastSeen: lastSeen, visits: visits, pageviews: pageviews,
             keyPages: keyPages, account: account, score: score)
    }

    static func snapshot(score: Int, visits: Int = 1, pageviews: Int = 1, lastSeen: Int64 = 1_000,
                         keyPages: [String: Int] = [:]) -> LeadSnapshot {
        LeadSnapshot(score: score, visits: visits, pageviews: pageviews, lastSeen: lastSeen, keyPages: keyPages)
    }

    /// (previous score or nil for an unseen lead, current score, fires?) for `score above 60`,
    /// each with one more page view than before.
    @Test(arguments: [
        (Int?.some(40), 72, true),   // crosses upward
        (Int?.some(60), 61, true),   // from exactly the threshold: it was not above
        (Int?.some(59), 60, false),  // reaching the threshold is not rising above it
        (Int?.some(61), 75, false),  // already above: no repeat while above
        (Int?.some(80), 40, false),  // falling through it
        (Int?.some(40), 55, false),  // rising, still below
        (Int?.none, 65, true),       // a new lead that starts above
        (Int?.none, 60, false),
    ])
    func scoreAboveFiresOnUpwardCrossingsOnly(previous: Int?, current: Int, fires: Bool) {
        let before = previous.map { Self.snapshot(score: $0, pageviews: 1) }
        let match = AlertTrigger.scoreAbove(60).match(previous: before, current: Self.lead(score: current, pageviews: 2))
        #expect((match != nil) == fires)
        if fires { #expect(match?.reason == "score rose from \(previous ?? 0) to \(current) (above 60)") }
    }

    @Test func aScoreThatCooledDownAndRisesAgainFiresAgain() {
        let trigger = AlertTrigger.scoreAbove(60)
        var seen = Self.snapshot(score: 40, pageviews: 1)
        var fired = 0
        // (score, page views): crossing, staying above, decay below without activity, new activity above.
        for (score, pageviews) in [(70, 2), (75, 3), (55, 3), (68, 4)] {
            let current = Self.lead(score: score, pageviews: pageviews)
            if trigger.match(previous: seen, current: current) != nil { fired += 1 }
            seen = LeadSnapshot(current)
        }
        #expect(fired == 2)
    }

    @Test func changesWithoutVisitorActivityNeverFire() {
        // A rescore (decay, changed settings, an account import) or a rebuild: same visits, page
        // views and last-seen time, only the score, key-page keys or account moved.
        let before = Self.snapshot(score: 40, visits: 2, pageviews: 5, lastSeen: 9_000, keyPages: ["/pricing*": 1])
        let rescored = Self.lead(score: 90, visits: 2, pageviews: 5, lastSeen: 9_000, keyPages: ["/pricing*": 1, "/demo*": 1],
                                 account: Account(domain: "acme.example", name: "Acme", tier: "1"))
        for trigger in [AlertTrigger.scoreAbove(60), .keyPage(nil), .keyPage("/demo*"), .targetAccountReturns] {
            #expect(trigger.match(previous: before, current: rescored) == nil, "\(trigger)")
        }
    }

    @Test func engagementAloneIsActivity() {
        let before = Self.snapshot(score: 50, pageviews: 3, lastSeen: 1_000)
        let engaged = Self.lead(score: 62, pageviews: 3, lastSeen: 4_000)
        #expect(AlertTrigger.scoreAbove(60).match(previous: before, current: engaged) != nil)
    }

    @Test func keyPageFiresWhenItsHitsGrow() {
        let before = Self.snapshot(score: 30, pageviews: 2, keyPages: ["/pricing*": 1])
        let pricingAgain = Self.lead(score: 31, pageviews: 3, keyPages: ["/pricing*": 2])
        let contact = Self.lead(score: 45, pageviews: 3, keyPages: ["/pricing*": 1, "/contact*": 1])
        let docs = Self.lead(score: 31, pageviews: 3, keyPages: ["/pricing*": 1])

        #expect(AlertTrigger.keyPage("/pricing*").match(previous: before, current: pricingAgain)?.reason
            == "viewed key page /pricing* (2 views)")
        #expect(AlertTrigger.keyPage("/pricing*").match(previous: before, current: contact) == nil)
        #expect(AlertTrigger.keyPage("/contact*").match(previous: before, current: contact)?.reason
            == "viewed key page /contact* (1 view)")
        #expect(AlertTrigger.keyPage(nil).match(previous: before, current: contact) != nil)
        #expect(AlertTrigger.keyPage(nil).match(previous: before, current: docs) == nil)
        #expect(AlertTrigger.keyPage(nil).match(previous: nil, current: docs)?.reason == "viewed key page /pricing* (1 view)")
    }

    @Test func targetAccountReturnsFiresOnEachNewVisitOfAKnownAccount() {
        let account = Account(domain: "acme.example", name: "Acme Corporation", tier: "1")
        let before = Self.snapshot(score: 50, visits: 2, pageviews: 4)
        let newVisit = Self.lead(score: 55, visits: 3, pageviews: 5, account: account)
        let samePage = Self.lead(score: 55, visits: 2, pageviews: 5, account: account)
        let unknown = Self.lead(score: 55, visits: 3, pageviews: 5)

        #expect(AlertTrigger.targetAccountReturns.match(previous: before, current: newVisit)?.reason
            == "target account Acme Corporation (tier 1) is back: visit 3")
        #expect(AlertTrigger.targetAccountReturns.match(previous: before, current: samePage) == nil)
        #expect(AlertTrigger.targetAccountReturns.match(previous: before, current: unknown) == nil)
    }

    @Test(arguments: [
        (AlertTrigger.scoreAbove(60), "score_above", String?.some("60")), (.keyPage("/pricing*"), "key_page", "/pricing*"),
        (.keyPage(nil), "key_page", nil), (.targetAccountReturns, "target_account_returns", nil),
    ])
    func triggersRoundTripThroughTheirStoredForm(trigger: AlertTrigger, kind: String, parameter: String?) {
        #expect(trigger.kind == kind && trigger.parameter == parameter)
        #expect(AlertTrigger(kind: kind, parameter: parameter) == trigger)
    }

    @Test(arguments: [
        ("score_above", String?.some("100")), ("score_above", "x"), ("score_above", nil), ("key_page", "pricing"), ("nope", nil),
    ])
    func malformedStoredTriggersAreRefused(kind: String, parameter: String?) {
        #expect(AlertTrigger(kind: kind, parameter: parameter) == nil)
    }
}
