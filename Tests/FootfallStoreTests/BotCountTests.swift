import FootfallStore
import Testing

@Suite struct BotCountTests {
    @Test func countsAccumulatePerSiteDayFamilyAndSignal() async throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        let tenant = try await catalog.tenant(named: "acme")
        let site = try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.com"])
        let other = try await catalog.createSite(tenantID: tenant.id, name: "Other", domains: ["other.com"])
        try await catalog.addBotCounts([
            BotCount(siteID: site.id, day: 20_000, family: "Googlebot", signal: "user_agent", count: 2),
            BotCount(siteID: site.id, day: 20_000, family: "curl", signal: "user_agent", count: 5),
            BotCount(siteID: other.id, day: 20_000, family: "Googlebot", signal: "user_agent", count: 9),
        ])
        try await catalog.addBotCounts([
            BotCount(siteID: site.id, day: 20_000, family: "Googlebot", signal: "user_agent", count: 4),
            BotCount(siteID: site.id, day: 20_001, family: "WebDriver Chrome", signal: "webdriver", count: 1),
            BotCount(siteID: site.id, day: 20_003, family: "curl", signal: "user_agent", count: 1),
        ])
        let counts = try await catalog.botCounts(siteID: site.id, fromDay: 20_000, toDay: 20_001)
        #expect(counts == [
            BotCount(siteID: site.id, day: 20_000, family: "Googlebot", signal: "user_agent", count: 6),
            BotCount(siteID: site.id, day: 20_000, family: "curl", signal: "user_agent", count: 5),
            BotCount(siteID: site.id, day: 20_001, family: "WebDriver Chrome", signal: "webdriver", count: 1),
        ])
    }
}
