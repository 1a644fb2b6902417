import FootfallCore
import FootfallStore
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

    @Test func dailySaltsAreStableWithinADayAndForgottenAfter() async throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        let monday = try await catalog.dailySalt(day: 20_000)
        #expect(try await catalog.dailySalt(day: 20_000) == monday)
        #expect(try await catalog.dailySalt(day: 20_001) != monday)
        _ = try await catalog.dailySalt(day: 20_002)
        // Day 20_000's salt was deleted; asking again creates a different one.
        #expect(try await catalog.dailySalt(day: 20_000) != monday)
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
