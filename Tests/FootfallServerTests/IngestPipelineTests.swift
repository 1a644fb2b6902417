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
        automated.webdriver = true
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

    @Test func aVisitorLoadingPagesFasterThanAPersonIsDropped() async throws {
        let site = try await site()
        var outcomes: [IngestPipeline.Outcome] = []
        for index in 0..<21 {
            let beacon = Beacon(siteKey: site.key, type: .pageview, id: "p\(index)", url: "https://acme.com/p\(index)")
            outcomes.append(try await pipeline.process([beacon], request: request(ip: "198.51.100.9")))
        }
        #expect(outcomes.prefix(20).allSatisfy { $0.events.count == 1 })
        #expect(outcomes[20].events.isEmpty)
        #expect(outcomes[20].dropped == [.botImpossibleTiming: 1])
        let other = Beacon(siteKey: site.key, type: .pageview, id: "o1", url: "https://acme.com/")
        #expect(try await pipeline.process([other], request: request()).events.count == 1)
    }

    @Test func unknownSitesAndMixedBatchesAreRefused() async throws {
        let site = try await site()
        let unknown = Beacon(siteKey: "s_nope", type: .pageview, id: "e1", url: "https://acme.com/")
        await #expect(throws: IngestError.unknownSite("s_nope")) { try await pipeline.process([unknown], request: request()) }
        let known = Beacon(siteKey: site.key, type: .pageview, id: "e2", url: "https://acme.com/")
        await #expect(throws: IngestError.mixedSites) { try await pipeline.process([known, unknown], request: request()) }
    }
}
