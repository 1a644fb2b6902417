import FootfallCore
@testable import FootfallStore
import GRDB
import Foundation
import Testing

@Suite struct CatalogTests {
    @Test func apiKeysAreFoundBySecretAndStoredOnlyAsHashes() async throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        let tenant = try await catalog.tenant(named: "acme")
        let (secret, key) = try await catalog.createAPIKey(tenantID: tenant.id, name: "t", scopes: [.leadsRead])
        #expect(secret.hasPrefix("ff_live_"))
        #expect(secret.count == 40)
        #expect(try await catalog.apiKey(secret: secret) == key)
        #expect(try await catalog.apiKey(secret: secret + "x") == nil)
        #expect(key.allows(.leadsRead) && !key.allows(.privacyAdmin))
        let fileBytes = try String(contentsOfFile: directory.path + "/catalog.sqlite", encoding: .isoLatin1)
        #expect(!fileBytes.contains(secret))
    }

    @Test func sitesBelongToTheirTenantAndNormaliseDomains() async throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        let acme = try await catalog.tenant(named: "acme")
        let other = try await catalog.tenant(named: "other")
        let site = try await catalog.createSite(tenantID: acme.id, name: "Acme", domains: ["https://Acme.com/"])
        #expect(site.domains == ["acme.com"])
        #expect(try await catalog.site(key: site.key) == site)
        #expect(try await catalog.sites(tenantID: other.id).isEmpty)
        await #expect(throws: CatalogError.invalidDomain("acme com")) {
            try await catalog.createSite(tenantID: acme.id, name: "Bad", domains: ["acme com"])
        }
    }

    @Test func dailySaltsAreStableWithinADayKeptThroughTheGraceWindowAndDestroyedAfter() async throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        let day: Int64 = 20_000, grace: Int64 = 30 * 60_000
        let midnight = (day + 1) * Timestamp.dayMs
        let monday = try await catalog.visitorSalts(atMs: midnight - 30_000, graceMs: grace)
        #expect(monday.day == day && monday.previous == nil)
        #expect(try await catalog.visitorSalts(atMs: day * Timestamp.dayMs + 3_600_000, graceMs: grace).current == monday.current)

        let justAfter = try await catalog.visitorSalts(atMs: midnight + 15_000, graceMs: grace)
        #expect(justAfter.current != monday.current)
        #expect(justAfter.previous == monday.current)
        #expect(try await saltDays(catalog) == [day, day + 1])

        let afterGrace = try await catalog.visitorSalts(atMs: midnight + grace, graceMs: grace)
        #expect(afterGrace.current == justAfter.current && afterGrace.previous == nil)
        #expect(try await saltDays(catalog) == [day + 1])
        // Destroyed, not just unlinked: the bytes are in neither the database nor its WAL.
        for suffix in ["", "-wal"] {
            let bytes = [UInt8]((FileManager.default.contents(atPath: directory.path + "/catalog.sqlite" + suffix)) ?? Data())
            #expect(bytes.firstRange(of: monday.current) == nil, "catalog.sqlite\(suffix)")
        }
    }

    @Test func scopeListsRejectUnknownNames() throws {
        #expect(try Scope.parseList("leads:read, stats:read") == [.leadsRead, .statsRead])
        #expect(throws: CatalogError.unknownScope("leads:write")) { try Scope.parseList("leads:write") }
    }

    @Test func siteSettingsStartAtDefaultsAndPersist() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/catalog.sqlite"
        let catalog = try Catalog(path: path)
        let tenant = try await catalog.tenant(named: "acme")
        var site = try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.com"])
        #expect(try await catalog.site(key: site.key)?.tracker == TrackerSettings())

        site.tracker = TrackerSettings(
            excludedPaths: [try #require(PathPattern("/admin/*"))], hashRouting: true, downloadExtensions: ["pdf"],
            samplePercent: 40, firstPartyID: true, allowLocalhost: true)
        site.honourDoNotTrack = false
        try await catalog.updateSettings(of: site)
        // A second process (the server) sees the change.
        #expect(try await Catalog(path: path).site(key: site.key) == site)

        var unknown = site
        unknown.key = "s_nosuchsite"
        await #expect(throws: CatalogError.unknownSite("s_nosuchsite")) { try await catalog.updateSettings(of: unknown) }
    }
}

/// Days (since the epoch, UTC) whose visitor salts are still stored, oldest first.
private func saltDays(_ catalog: Catalog) async throws -> [Int64] {
    try await catalog.pool.read { db in try Int64.fetchAll(db, sql: "SELECT day FROM daily_salts ORDER BY day") }
}
