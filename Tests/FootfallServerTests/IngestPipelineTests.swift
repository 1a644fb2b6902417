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
}
