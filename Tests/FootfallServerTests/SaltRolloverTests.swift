import FootfallCore
import FootfallEnrich
@testable import FootfallServer
@testable import FootfallStore
import GRDB
import Foundation
import Testing

/// Daily salts around midnight UTC, with the clock injected through the receive time.
@Suite struct SaltRolloverTests {
    static let chrome = IngestPipelineTests.chrome
    static let midnight: Int64 = 20_000 * Timestamp.dayMs

    let directory = NSTemporaryDirectory() + "footfall-salts-" + UUID().uuidString
    let catalog: Catalog
    let pipeline: IngestPipeline

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        catalog = try Catalog(path: directory + "/catalog.sqlite")
        pipeline = IngestPipeline(sites: SiteDirectory(catalog: catalog), salts: SaltCache(catalog: catalog, graceMs: 30 * 60_000))
    }

    func pageview(_ site: Site, id: String, path: String, referrer: String, at time: Int64, ip: String = "203.0.113.77") async throws -> Event {
        let beacon = Beacon(siteKey: site.key, type: .pageview, id: id, url: "https://acme.com" + path, referrer: referrer)
        let request = BeaconRequest(clientIP: IPAddress(ip), userAgent: Self.chrome, optedOut: false, receivedAt: time)
        return try #require(try await pipeline.process([beacon], request: request).events.first)
    }

    @Test func aVisitRunningAcrossMidnightStaysOneVisitAndTheOldSaltIsDestroyedAfterTheGraceWindow() async throws {
        let tenant = try await catalog.tenant(named: "t")
        let site = try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.com"])

        let before = try await pageview(site, id: "a", path: "/", referrer: "https://www.google.com/", at: Self.midnight - 30_000)
        let after = try await pageview(site, id: "b", path: "/pricing", referrer: "https://acme.com/", at: Self.midnight + 15_000)
        #expect(after.visitorID == before.visitorID)
        let visits = Sessionizer.visits(from: [before, after])
        #expect(visits.count == 1)
        #expect(visits.first?.source.source == "Google")
        #expect(visits.first?.pages.map(\.path) == ["/", "/pricing"])
        #expect(try await saltDays(catalog) == [19_999, 20_000])

        // Someone first seen after midnight is hashed with today's salt only.
        let newcomer = try await pageview(site, id: "c", path: "/", referrer: "", at: Self.midnight + 20_000, ip: "198.51.100.9")
        let newcomerLater = try await pageview(site, id: "d", path: "/", referrer: "", at: Self.midnight + 40 * 60_000, ip: "198.51.100.9")
        #expect(newcomer.visitorID == newcomerLater.visitorID)

        // After the grace window yesterday's salt is gone, and the next day brings a new id.
        #expect(try await saltDays(catalog) == [20_000])
        let nextDay = try await pageview(site, id: "e", path: "/", referrer: "", at: Self.midnight + Timestamp.dayMs + 12 * 3_600_000)
        #expect(nextDay.visitorID != before.visitorID && nextDay.visitorID != after.visitorID)
        #expect(try await saltDays(catalog) == [20_001])
    }

    @Test func withoutActivityBeforeMidnightTheSameVisitorGetsANewIDAtMidnight() async throws {
        let tenant = try await catalog.tenant(named: "t")
        let site = try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.com"])
        let evening = try await pageview(site, id: "a", path: "/", referrer: "", at: Self.midnight - 3 * 3_600_000)
        let night = try await pageview(site, id: "b", path: "/", referrer: "", at: Self.midnight + 10_000)
        #expect(evening.visitorID != night.visitorID)
    }
}

/// Days (since the epoch, UTC) whose visitor salts are still stored, oldest first.
private func saltDays(_ catalog: Catalog) async throws -> [Int64] {
    try await catalog.pool.read { db in try Int64.fetchAll(db, sql: "SELECT day FROM daily_salts ORDER BY day") }
}
