import FootfallCore
import FootfallEnrich
@testable import FootfallServer
import FootfallStore
import Foundation
import Testing

@Suite struct IngestPipelineTests {
    static let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

    let directory = NSTemporaryDirectory() + "footfall-ingest-" + UUID().uuidString
    let catalog: Catalog
    let pipeline: IngestPipeline

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        catalog = try Catalog(path: directory + "/catalog.sqlite")
        pipeline = IngestPipeline(sites: SiteDirectory(catalog: catalog), salts: SaltCache(catalog: catalog))
    }

    func site() async throws -> Site {
        let tenant = try await catalog.tenant(named: "t")
        return try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.com"])
    }

    func request(ip: String = "203.0.113.77", userAgent: String = Self.chrome, optedOut: Bool = false) -> BeaconRequest {
        BeaconRequest(clientIP: IPAddress(ip), userAgent: userAgent, optedOut: optedOut, receivedAt: 1_700_000_000_000)
    }

    @Test func enrichesEventsWithoutKeepingTheFullIP() async throws {
        let site = try await site()
        let beacon = Beacon(siteKey: site.key, type: .pageview, id: "e1", url: "https://acme.com/pricing?a=1", referrer: "https://www.bing.com/")
        let outcome = try await pipeline.process([beacon], request: request())
        let event = try #require(outcome.events.first)
        #expect(event.siteID == site.id)
        #expect(event.path == "/pricing")
        #expect(event.userAgent.browser == "Chrome")
        #expect(event.source == TrafficSource(medium: .search, source: "Bing", campaign: ""))
        #expect(event.network.storedIP == "203.0.113.0")
        #expect(event.timestamp == 1_700_000_000_000)
    }

    @Test func theSameVisitorHashesAlikeWithinADayAndApartAcrossIPs() async throws {
        let site = try await site()
        let beacon = Beacon(siteKey: site.key, type: .pageview, id: "e1", url: "https://acme.com/")
        let a = try await pipeline.process([beacon], request: request()).events[0].visitorID
        let b = try await pipeline.process([beacon], request: request()).events[0].visitorID
        let c = try await pipeline.process([beacon], request: request(ip: "198.51.100.1")).events[0].visitorID
        #expect(a == b)
        #expect(a != c)
    }

    @Test func dropsDoNotTrackAndBotsWithReasons() async throws {
        let site = try await site()
        let beacon = Beacon(siteKey: site.key, type: .pageview, id: "e1", url: "https://acme.com/")
        let optedOut = try await pipeline.process([beacon, beacon], request: request(optedOut: true))
        #expect(optedOut.events.isEmpty)
        #expect(optedOut.dropped == [.doNotTrack: 2])
        let bot = try await pipeline.process([beacon], request: request(userAgent: "curl/8.5.0"))
        #expect(bot.events.isEmpty)
        #expect(bot.dropped == [.bot: 1])
    }

    @Test func botsAreCountedPerFamilyNeverStored() async throws {
        let site = try await site()
        let beacon = Beacon(siteKey: site.key, type: .pageview, id: "e1", url: "https://acme.com/")
        let googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        #expect(try await pipeline.process([beacon, beacon], request: request(userAgent: googlebot)).dropped == [.bot: 2])
        #expect(try await pipeline.process([beacon], request: request(userAgent: googlebot)).events.isEmpty)
        var automated = beacon
        automated.isWebDriver = true
        let webdriver = try await pipeline.process([beacon, automated], request: request())
        #expect(webdriver.events.isEmpty)
        #expect(webdriver.dropped == [.botWebDriver: 2])
        let day: Int64 = 1_700_000_000_000 / 86_400_000
        try await pipeline.botTally.flush(to: catalog)
        #expect(try await catalog.botCounts(siteID: site.id, fromDay: day, toDay: day) == [
            BotCount(siteID: site.id, day: day, family: "Googlebot", signal: "user_agent", count: 3),
            BotCount(siteID: site.id, day: day, family: "WebDriver Chrome", signal: "webdriver", count: 2),
        ])
        #expect(pipeline.botTally.drain().isEmpty)
    }

    @Test func inventedBotNamesCannotGrowTheTallyWithoutBound() {
        let tally = BotTally()
        for index in 0..<(BotTally.maxPendingKeys + 500) {
            tally.add(siteID: 1, atMs: 0, verdict: BotVerdict(signal: .userAgent, family: "bot\(index)"), count: 1)
        }
        let counts = tally.drain()
        #expect(counts.count == BotTally.maxPendingKeys + 1)
        #expect(counts.first { $0.family == "Other bot" }?.count == 500)
    }

    @Test func aFirstPartyVisitorLoadingPagesFasterThanAPersonIsDropped() async throws {
        var site = try await site()
        site.tracker.firstPartyID = true
        try await catalog.updateSettings(of: site)
        let pipeline = IngestPipeline(sites: SiteDirectory(catalog: catalog), salts: SaltCache(catalog: catalog))
        func pageviews(_ count: Int, firstPartyID: String, ip: String) async throws -> [IngestPipeline.Outcome] {
            var outcomes: [IngestPipeline.Outcome] = []
            for index in 0..<count {
                var beacon = Beacon(siteKey: site.key, type: .pageview, id: "\(firstPartyID)\(index)", url: "https://acme.com/p\(index)")
                beacon.firstPartyID = firstPartyID
                outcomes.append(try await pipeline.process([beacon], request: request(ip: ip)))
            }
            return outcomes
        }
        let scraper = try await pageviews(21, firstPartyID: "scraper", ip: "198.51.100.9")
        #expect(scraper.prefix(20).allSatisfy { $0.events.count == 1 })
        #expect(scraper[20].events.isEmpty)
        #expect(scraper[20].dropped == [.botImpossibleTiming: 1])
        // Another browser on the same IP and UA is a different visitor.
        #expect(try await pageviews(1, firstPartyID: "colleague", ip: "198.51.100.9")[0].events.count == 1)
        // Cookieless visitors (an office behind NAT shares the hash) are never judged by pace.
        #expect(try await pageviews(30, firstPartyID: "", ip: "198.51.100.10").allSatisfy { $0.events.count == 1 })
    }

    @Test func unknownSitesAndMixedBatchesAreRefused() async throws {
        let site = try await site()
        let unknown = Beacon(siteKey: "s_nope", type: .pageview, id: "e1", url: "https://acme.com/")
        await #expect(throws: IngestError.unknownSite("s_nope")) { try await pipeline.process([unknown], request: request()) }
        let known = Beacon(siteKey: site.key, type: .pageview, id: "e2", url: "https://acme.com/")
        await #expect(throws: IngestError.mixedSites) { try await pipeline.process([known, unknown], request: request()) }
    }

    @Test func excludedPathsAreDroppedWithAReason() async throws {
        var site = try await site()
        site = try SiteConfigKey.apply(["excluded_paths=/admin/*"], to: site)
        try await catalog.updateSettings(of: site)
        let pipeline = IngestPipeline(sites: SiteDirectory(catalog: catalog), salts: SaltCache(catalog: catalog))
        let admin = Beacon(siteKey: site.key, type: .pageview, id: "e1", url: "https://acme.com/admin/users?x=1")
        let pricing = Beacon(siteKey: site.key, type: .pageview, id: "e2", url: "https://acme.com/pricing")
        let outcome = try await pipeline.process([admin, pricing], request: request())
        #expect(outcome.events.map(\.id) == ["e2"])
        #expect(outcome.dropped == [.excludedPath: 1])
    }

    @Test func firstPartyIDsIdentifyVisitorsOnlyOnSitesThatOptedIn() async throws {
        var site = try await site()
        var beacon = Beacon(siteKey: site.key, type: .pageview, id: "e1", url: "https://acme.com/")
        beacon.firstPartyID = "abc123"
        let cookieless = try await pipeline.process([beacon], request: request()).events[0].visitorID
        #expect(cookieless != VisitorIdentity.visitorID(firstPartyID: "abc123", siteID: site.id))

        site.tracker.firstPartyID = true
        try await catalog.updateSettings(of: site)
        let pipeline = IngestPipeline(sites: SiteDirectory(catalog: catalog), salts: SaltCache(catalog: catalog))
        let fromHome = try await pipeline.process([beacon], request: request()).events[0].visitorID
        let fromOffice = try await pipeline.process([beacon], request: request(ip: "198.51.100.1")).events[0].visitorID
        #expect(fromHome == VisitorIdentity.visitorID(firstPartyID: "abc123", siteID: site.id))
        #expect(fromOffice == fromHome)
    }

    @Test func shieldsDropTheOwnersTrafficWithReasonsCountedPerSite() async throws {
        var site = try await site()
        site = try SiteConfigKey.apply(
            ["shield_ips=198.51.100.0/24", "shield_paths=/internal/*", "shield_hosts=staging.acme.com"], to: site)
        try await catalog.updateSettings(of: site)
        let pipeline = IngestPipeline(sites: SiteDirectory(catalog: catalog), salts: SaltCache(catalog: catalog))
        let page = Beacon(siteKey: site.key, type: .pageview, id: "e1", url: "https://acme.com/pricing")
        let office = try await pipeline.process([page, page], request: request(ip: "198.51.100.20"))
        #expect(office.events.isEmpty)
        #expect(office.dropped == [.shieldIP: 2])
        let internalPage = Beacon(siteKey: site.key, type: .pageview, id: "e2", url: "https://acme.com/internal/wiki")
        let staging = Beacon(siteKey: site.key, type: .pageview, id: "e3", url: "https://staging.acme.com/pricing")
        let mixed = try await pipeline.process([page, internalPage, staging], request: request())
        #expect(mixed.events.map(\.id) == ["e1"])
        #expect(mixed.dropped == [.shieldPath: 1, .shieldHost: 1])
        let day: Int64 = 1_700_000_000_000 / 86_400_000
        try await pipeline.botTally.flush(to: catalog)
        #expect(Set(try await catalog.botCounts(siteID: site.id, fromDay: day, toDay: day)) == [
            BotCount(siteID: site.id, day: day, family: "Shield", signal: "shield_ip", count: 2),
            BotCount(siteID: site.id, day: day, family: "Shield", signal: "shield_path", count: 1),
            BotCount(siteID: site.id, day: day, family: "Shield", signal: "shield_host", count: 1),
        ])
    }

    @Test func theEventLoopFormRunsOnlyOnceSiteAndSaltAreInMemory() async throws {
        let site = try await site()
        let beacon = Beacon(siteKey: site.key, type: .pageview, id: "e1", url: "https://acme.com/")
        let pipeline = IngestPipeline(sites: SiteDirectory(catalog: catalog), salts: SaltCache(catalog: catalog))
        #expect(try pipeline.processCached([beacon], request: request()) == nil)
        let loaded = try await pipeline.process([beacon], request: request())
        #expect(try pipeline.processCached([beacon], request: request()) == loaded)
        #expect(IngestPipeline.steps.map(\.name).prefix(3) == ["dropOptedOut", "putUserAgent", "putNetwork"])
    }

    @Test func floodLimitsRefuseAClientOverItsBucketAndRefill() {
        let limits = FloodLimits(ip: .init(perSecond: 2, burst: 3), site: .init(perSecond: 100, burst: 5))
        #expect((0..<3).map { _ in limits.admit(ip: "a", siteKey: "s", now: 10) } == [nil, nil, nil])
        #expect(limits.admit(ip: "a", siteKey: "s", now: 10) == 1)
        #expect(limits.admit(ip: "b", siteKey: "s", now: 10) == nil, "another client has its own bucket")
        #expect(limits.admit(ip: "c", siteKey: "s", now: 10) == nil)
        #expect(limits.admit(ip: "d", siteKey: "s", now: 10) == 1, "the site's burst of 5 is spent")
        #expect(limits.admit(ip: "a", siteKey: "s", now: 10.6) == nil, "half a second refills one token")
        #expect(FloodLimits().admit(ip: "a", siteKey: "s", now: 0) == nil)
    }
}

/// The scrubbing step runs on every stored event (the table of cases is in FootfallCore).
@Suite struct IngestScrubbingTests {
    @Test func personalDataNeverReachesTheStoredEvent() async throws {
        let directory = NSTemporaryDirectory() + "footfall-scrub-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let catalog = try Catalog(path: directory + "/catalog.sqlite")
        let pipeline = IngestPipeline(sites: SiteDirectory(catalog: catalog), salts: SaltCache(catalog: catalog))
        let tenant = try await catalog.tenant(named: "t")
        var site = try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.com"])
        site = try SiteConfigKey.apply(["strip_params=promo", "geo_precision=0.1"], to: site)
        try await catalog.updateSettings(of: site)

        let pageview = Beacon(
            siteKey: site.key, type: .pageview, id: "e1",
            url: "https://acme.com/users/jane@example.com?promo=JANE50&utm_source=mail",
            referrer: "https://mail.example.com/?email=jane%40example.com")
        var custom = Beacon(siteKey: site.key, type: .custom, id: "e2", url: "https://acme.com/contact")
        custom.customName = "contact"
        custom.customProps = #"{"phone":"+49 151 1234 5678","topic":"pricing"}"#
        var geo = Beacon(siteKey: site.key, type: .geo, id: "e3", url: "https://acme.com/contact")
        geo.geo = GeoReading(latitude: 52.5163, longitude: 13.3777, accuracy: 15)
        let request = BeaconRequest(clientIP: IPAddress("203.0.113.77"), userAgent: IngestPipelineTests.chrome, optedOut: false, receivedAt: 1_700_000_000_000)
        let events = try await pipeline.process([pageview, custom, geo], request: request).events
        try #require(events.count == 3)
        #expect(events[0].url == "https://acme.com/users/REDACTED?promo=REDACTED&utm_source=mail")
        #expect(events[0].path == "/users/REDACTED")
        #expect(events[0].referrer == "https://mail.example.com/?email=REDACTED")
        #expect(events[1].customProps == #"{"phone":"REDACTED","topic":"pricing"}"#)
        #expect(events[2].geo == GeoReading(latitude: 52.5, longitude: 13.4, accuracy: 11_132))
    }
}

@Suite struct BeaconMediaTypeTests {
    @Test(arguments: [
        ("text/plain", "text/plain"), ("Text/Plain; charset=UTF-8", "text/plain"), (" \tapplication/json ;x=1", "application/json"),
        ("application/json", "application/json"), ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
        ("", ""), ("  ;charset=utf-8", ""), ("text/plain\u{A0}", "text/plain\u{A0}"),
    ])
    func theMediaTypeIsTheValueBeforeItsParametersWithoutSpacesOrTabs(value: String, mediaType: String) {
        #expect(BeaconIngest.mediaType(of: value) == mediaType)
    }
}
