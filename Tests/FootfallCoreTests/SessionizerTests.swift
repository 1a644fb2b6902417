import Foundation
@testable import FootfallCore
import Testing

@Suite struct SessionizerTests {
    typealias F = EventFixtures

    @Test func pageviewsWithinThirtyMinutesFormOneVisitInOrder() {
        let visits = Sessionizer.visits(from: [
            F.pageview("a", at: 0, path: "/"), F.pageview("b", at: 5, path: "/pricing"), F.pageview("c", at: 34, path: "/docs"),
        ])
        #expect(visits.count == 1)
        #expect(visits[0].pages.map(\.path) == ["/", "/pricing", "/docs"])
        #expect(visits[0].entryPage == "/")
        #expect(visits[0].exitPage == "/docs")
        #expect(visits[0].endedAt - visits[0].startedAt == 34 * F.minute)
    }

    @Test func thirtyMinutesOfInactivityStartsANewVisit() {
        let visits = Sessionizer.visits(from: [F.pageview("a", at: 0, path: "/"), F.pageview("b", at: 30.5, path: "/docs")])
        #expect(visits.map(\.pageviews) == [1, 1])
    }

    @Test func aConsentedGeoReadingsPlaceBecomesTheVisitsLocation() {
        var view = F.pageview("a", at: 0, path: "/")
        view.network = NetworkInfo(organisation: "Acme", domain: "acme.com", asn: 64500, networkType: .business, country: "US", storedIP: "",
                                   region: "Virginia", city: "Ashburn")
        var geo = view
        geo.id = "g"
        geo.type = .geo
        geo.timestamp += F.minute
        geo.geo = GeoReading(latitude: 48.58, longitude: 7.75, accuracy: 1113.2)
        geo.network.country = "FR"
        geo.network.region = "Grand Est"
        geo.network.city = ""
        let later = F.pageview("b", at: 3, path: "/pricing", pageLoad: "pl-b")
        let visits = Sessionizer.visits(from: [view, geo, later])
        #expect(visits.count == 1)
        #expect((visits[0].network.country, visits[0].network.region, visits[0].network.city) == ("FR", "Grand Est", ""))
        #expect((visits[0].network.organisation, visits[0].network.asn) == ("Acme", 64500), "the organisation stays the IP's")
        #expect(Sessionizer.visits(from: [view]).first?.network.region == "Virginia")
    }

    @Test func inactivityIsConfigurable() {
        let visits = Sessionizer.visits(
            from: [F.pageview("a", at: 0, path: "/"), F.pageview("b", at: 11, path: "/docs")],
            configuration: .init(inactivityMs: 10 * F.minute))
        #expect(visits.count == 2)
    }

    @Test func newCampaignOrExternalSourceStartsANewVisit() {
        let google = TrafficSource(medium: .search, source: "Google", campaign: "")
        let campaign = TrafficSource(medium: .email, source: "newsletter", campaign: "spring")
        let internalNav = TrafficSource(medium: .internal, source: "acme.com", campaign: "")
        let visits = Sessionizer.visits(from: [
            F.pageview("a", at: 0, path: "/", source: google),
            F.pageview("b", at: 1, path: "/pricing", source: internalNav),
            F.pageview("c", at: 2, path: "/", source: google),
            F.pageview("d", at: 3, path: "/spring", source: campaign),
        ])
        #expect(visits.map { $0.pages.map(\.path) } == [["/", "/pricing", "/"], ["/spring"]])
        #expect(visits[1].source.campaign == "spring")
    }

    @Test func visitorsAndSitesAreSeparate() {
        let visits = Sessionizer.visits(from: [
            F.pageview("a", at: 0, path: "/", visitor: 1), F.pageview("b", at: 1, path: "/", visitor: 2),
            F.pageview("c", at: 2, path: "/x", visitor: 1, site: 2),
        ])
        #expect(visits.count == 3)
    }

    @Test func engagementJoinsItsPageByPageLoadIDOnce() throws {
        var sessionizer = Sessionizer()
        _ = sessionizer.fold(F.pageview("a", at: 0, path: "/", pageLoad: "p1"))
        _ = sessionizer.fold(F.pageview("b", at: 1, path: "/pricing", pageLoad: "p2"))
        _ = sessionizer.fold(F.engagement("e1", at: 1.5, pageLoad: "p1", engagedMs: 4_000, scroll: 50))
        // A second report for the same page replaces, not adds to, the first.
        let folded = sessionizer.fold(F.engagement("e2", at: 2, pageLoad: "p1", engagedMs: 6_000, scroll: 90))
        let visit = try #require(folded)
        #expect(visit.pages[0].engagedMs == 6_000)
        #expect(visit.pages[0].maxScrollPercent == 90)
        #expect(visit.pages[1].engagedMs == 0)
        #expect(visit.engagedMs == 6_000)
        #expect(visit.maxScrollPercent == 90)
    }

    @Test func aLatePageviewIsInsertedInTimeOrder() throws {
        var sessionizer = Sessionizer()
        _ = sessionizer.fold(F.pageview("a", at: 0, path: "/"))
        _ = sessionizer.fold(F.pageview("c", at: 4, path: "/docs"))
        let folded = sessionizer.fold(F.pageview("b", at: 2, path: "/pricing"))
        let visit = try #require(folded)
        #expect(visit.pages.map(\.path) == ["/", "/pricing", "/docs"])
    }

    @Test func idleVisitsCloseAndReleaseMemory() {
        var sessionizer = Sessionizer()
        _ = sessionizer.fold(F.pageview("a", at: 0, path: "/", visitor: 1))
        _ = sessionizer.fold(F.pageview("b", at: 20, path: "/", visitor: 2))
        let closed = sessionizer.closeIdle(now: F.base + 75 * F.minute)
        #expect(closed.map(\.visitorID) == [1])
        #expect(sessionizer.openVisitCount == 1)
    }

    /// Beacons of a page load the sessionizer never saw (its page view lost or refused by a
    /// flood limit, or a pagehide beacon past the window) join no visit; once older than the
    /// final cutoff no page view can still claim them, so they are released like the events of
    /// final visits.
    @Test func beaconsThatJoinedNoVisitAreReleasedAtTheFinalCutoff() {
        var sessionizer = Sessionizer()
        _ = sessionizer.fold(F.pageview("a", at: 0, path: "/", visitor: 1))
        _ = sessionizer.fold(F.engagement("orphan-old", at: 0, pageLoad: "never-seen", engagedMs: 5_000, scroll: 40, visitor: 3))
        _ = sessionizer.fold(F.engagement("orphan-new", at: 15, pageLoad: "never-seen-2", engagedMs: 5_000, scroll: 40, visitor: 4))
        _ = sessionizer.fold(F.pageview("b", at: 20, path: "/", visitor: 2))
        #expect(sessionizer.heldEventCount == 4)
        // Final cutoff: 75 − 60 (pagehide window) − 5 (lateness) = minute 10.
        let closed = sessionizer.closeIdle(now: F.base + 75 * F.minute)
        #expect(closed.map(\.visitorID) == [1])
        #expect(sessionizer.heldEventCount == 2)
        #expect(sessionizer.openVisitCount == 1)
        _ = sessionizer.closeIdle(now: F.base + 200 * F.minute)
        #expect(sessionizer.heldEventCount == 0)
        #expect(sessionizer.openVisitCount == 0)
    }

    /// Past its most held events the sessionizer releases the visitors idle longest, down to
    /// 90% of the cap: their visits stay as written, but a beacon arriving later for one of
    /// their pages joins no visit, while the visitors still held fold as before.
    @Test func aFullSessionizerReleasesTheVisitorsIdleLongest() throws {
        var sessionizer = Sessionizer(configuration: .init(maxHeldEvents: 10))
        for visitor in 1...5 {
            let at = Double(visitor)
            _ = sessionizer.fold(F.pageview("v\(visitor)", at: at, path: "/", visitor: VisitorID(visitor)))
            _ = sessionizer.fold(F.engagement("e\(visitor)", at: at + 0.5, pageLoad: "pl-v\(visitor)", engagedMs: 1_000, scroll: 10, visitor: VisitorID(visitor)))
        }
        #expect(sessionizer.heldEventCount == 10)
        #expect(sessionizer.takeReleasedVisitCount() == 0)
        // The 11th event passes the cap: visitor 1 (idle longest) goes, down to 9 events.
        _ = sessionizer.fold(F.pageview("v6", at: 6, path: "/", visitor: 6))
        #expect(sessionizer.heldEventCount == 9)
        #expect(sessionizer.openVisitCount == 5)
        #expect(sessionizer.takeReleasedVisitCount() == 1)
        #expect(sessionizer.takeReleasedVisitCount() == 0)
        let late = sessionizer.ingest(F.engagement("late1", at: 7, pageLoad: "pl-v1", engagedMs: 9_000, scroll: 90, visitor: 1))
        #expect(late == Sessionizer.Changes())
        let folded = sessionizer.fold(F.engagement("late2", at: 7, pageLoad: "pl-v2", engagedMs: 9_000, scroll: 90, visitor: 2))
        let held = try #require(folded)
        #expect(held.engagedMs == 9_000)
        #expect(held.id == Sessionizer.visits(from: [F.pageview("v2", at: 2, path: "/", visitor: 2)]).first?.id)
    }

    /// Visits share their context with the events they came from, yet encode exactly as the
    /// synthesized `Codable` did (ClickHouse rows and data exports hold this JSON).
    @Test func aVisitEncodesWithItsFieldNamesAndDecodesEqual() throws {
        let visit = try #require(Sessionizer.visits(from: [F.pageview("a", at: 0, path: "/pricing", source: TrafficSource(medium: .search, source: "Google", campaign: ""))]).first)
        let json = try JSONEncoder().encode(visit)
        let keys = try #require(JSONSerialization.jsonObject(with: json) as? [String: Any]).keys
        #expect(Set(keys) == ["id", "siteID", "visitorID", "startedAt", "endedAt", "pages", "engagedMs", "maxScrollPercent",
                              "clicks", "customEvents", "referrer", "source", "userAgent", "network"])
        let decoded = try JSONDecoder().decode(Visit.self, from: json)
        #expect(decoded == visit)
        #expect(decoded.source.source == "Google")
        var moved = decoded
        moved.network.country = "FR"
        #expect(moved != visit)
        #expect(visit.network.country == "")
    }

    /// A retry is ignored whether its visitor's ids are found by scanning its events (few
    /// held) or in the id set kept past ``Sessionizer/VisitorState/idScanLimit``.
    @Test(arguments: [5, 40]) func aRetriedEventIsIgnoredHoweverManyEventsItsVisitorHolds(count: Int) {
        let views = (0..<count).map { F.pageview("v\($0)", at: Double($0) / 6, path: "/p\($0)") }
        var sessionizer = Sessionizer()
        for view in views { _ = sessionizer.ingest(view) }
        #expect(sessionizer.heldEventCount == count)
        for index in [0, count / 2, count - 1] {
            var retry = views[index]
            retry.timestamp = views[count - 1].timestamp + F.minute  // a retry arrives later
            #expect(sessionizer.ingest(retry) == Sessionizer.Changes(), "retry of \(retry.id)")
        }
        #expect(sessionizer.heldEventCount == count)
        #expect(sessionizer.openVisitCount == 1)
        var next = F.pageview("next", at: Double(count) / 6, path: "/next")
        #expect(sessionizer.ingest(next).upserted.map(\.pageviews) == [count + 1])
        next.timestamp += F.minute
        #expect(sessionizer.ingest(next) == Sessionizer.Changes(), "the event just added is held too")
    }
}

@Suite struct RacingBeaconTests {
    typealias F = EventFixtures

    /// The tracker sends a page view and its queued custom event as two requests; the
    /// server may stamp the custom event a few ms earlier. It must still count in the visit.
    func customEvent(_ id: String, at minutes: Double, pageLoad: String) -> Event {
        var event = F.engagement(id, at: minutes, pageLoad: pageLoad, engagedMs: 0, scroll: 0)
        event.type = .custom
        event.customName = "Signup"
        return event
    }

    @Test func aBeaconStampedJustBeforeItsPageViewJoinsIt() {
        let early = customEvent("c1", at: 1.0, pageLoad: "p2")
        let view = F.pageview("v2", at: 1.0 + 3.0 / 60_000, path: "/pricing", pageLoad: "p2")
        let first = F.pageview("v1", at: 0, path: "/", pageLoad: "p1")
        var live = Sessionizer()
        _ = live.fold(first)
        _ = live.fold(early)
        let visit = live.fold(view)
        #expect(visit?.customEvents == 1)
        #expect(visit?.pages.map(\.path) == ["/", "/pricing"])
        let rebuilt = Sessionizer.visits(from: [view, early, first])
        #expect(rebuilt.count == 1)
        #expect(rebuilt.first?.customEvents == 1)
        #expect(rebuilt.first == visit)
    }

    @Test func aBeaconOfAPageViewedLongAfterStaysOrphaned() {
        let orphan = customEvent("c1", at: 0, pageLoad: "p9")
        let view = F.pageview("v9", at: 5, path: "/", pageLoad: "p9")
        let visits = Sessionizer.visits(from: [orphan, view])
        #expect(visits.map(\.customEvents) == [0])
    }
}

@Suite struct FoldedEventTests {
    typealias F = EventFixtures

    @Test func aVisitorsEventsShareOneContextUntilItChanges() {
        var interner = Interner()
        let first = FoldedEvent(F.pageview("a", at: 0, path: "/"), interner: &interner)
        let second = FoldedEvent(F.pageview("b", at: 1, path: "/pricing"), sharing: first.context, interner: &interner)
        var moved = F.pageview("c", at: 2, path: "/docs")
        moved.network.city = "Ashburn"
        let third = FoldedEvent(moved, sharing: second.context, interner: &interner)
        #expect(second.context === first.context)
        #expect(third.context !== second.context)
        #expect(third.context?.network.city == "Ashburn")
        #expect(third.context?.sharedUserAgent === first.context?.sharedUserAgent, "only the network changed")
        #expect(third.context?.sharedNetwork !== first.context?.sharedNetwork)
        #expect(second.path == "/pricing")
    }

    /// Contexts of different visitors share the parts that are equal: the browser, the
    /// source, the network behind one stored address.
    @Test func visitorsShareEqualContextPartsUntilNoneHoldsThem() {
        var sessionizer = Sessionizer()
        let onSite = TrafficSource(medium: .internal, source: "acme.com", campaign: "")
        for visitor in 0..<50 {
            var landing = F.pageview("l\(visitor)", at: 0, path: "/", visitor: VisitorID(visitor))
            landing.source = TrafficSource(medium: .search, source: visitor % 2 == 0 ? "Google" : "Bing", campaign: "")
            _ = sessionizer.ingest(landing)
            _ = sessionizer.ingest(F.pageview("n\(visitor)", at: 1, path: "/pricing", visitor: VisitorID(visitor), source: onSite))
        }
        // One User-Agent and one network for everyone; Google, Bing and the internal source.
        #expect(sessionizer.interner.contextPartCount == 5)
        do {
            let closed = sessionizer.closeIdle(now: F.base + 200 * F.minute)
            #expect(closed.count == 50 && closed.allSatisfy { $0.pages.count == 2 && $0.source.source != "acme.com" })
            // The returned visits still hold theirs; only released events held the internal source.
            #expect(sessionizer.interner.contextPartCount == 4)
        }
        _ = sessionizer.closeIdle(now: F.base + 201 * F.minute)
        #expect(sessionizer.interner.contextPartCount == 0)
    }

    /// Visits of different visitors to one page, from one referrer, hold one copy of each text.
    @Test func visitsShareEqualPathsAndReferrers() {
        var sessionizer = Sessionizer()
        var visits: [Visit] = []
        for visitor in 0..<2 {
            // Built anew for each visitor, as each beacon's text is.
            var view = F.pageview("v\(visitor)", at: 0, path: "/blog/" + String(repeating: "long-", count: 4), visitor: VisitorID(visitor))
            view.referrer = "https://news.example/item?id=" + String(40 + 2)
            visits += sessionizer.ingest(view).upserted
        }
        func storage(_ text: String) -> UInt? {
            var text = text
            return text.withUTF8 { $0.baseAddress.map { UInt(bitPattern: $0) } }
        }
        #expect(visits.count == 2 && visits[0].pages[0].path == visits[1].pages[0].path)
        #expect(storage(visits[0].pages[0].path) == storage(visits[1].pages[0].path))
        #expect(storage(visits[0].referrer) == storage(visits[1].referrer))
    }

    /// No visit takes a context, path or referrer from an engagement, click or custom beacon,
    /// so the sessionizer does not hold them.
    @Test func beaconsHoldOnlyWhatTheirPageViewsVisitUses() {
        var interner = Interner()
        let beacon = FoldedEvent(F.engagement("e", at: 1, pageLoad: "pl-a", engagedMs: 4_000, scroll: 60), interner: &interner)
        #expect(beacon.context == nil)
        #expect(beacon.path.isEmpty && beacon.referrer.isEmpty)
        #expect(beacon.pageLoadID == "pl-a" && beacon.engagedMs == 4_000 && beacon.maxScrollPercent == 60)
    }
}
