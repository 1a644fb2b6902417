import FootfallCore
import FootfallStore
import Testing

@Suite struct APIKeyLifecycleTests {
    @Test func revokedAndExpiredKeysAreNotFound() async throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        let acme = try await catalog.tenant(named: "acme")
        let other = try await catalog.tenant(named: "other")
        let (secret, key) = try await catalog.createAPIKey(tenantID: acme.id, name: "k", scopes: [.statsRead])
        #expect(try await catalog.revokeAPIKey(id: key.id, tenantID: other.id) == nil)
        #expect(try await catalog.apiKey(secret: secret) != nil)
        let revoked = try #require(try await catalog.revokeAPIKey(id: key.id, tenantID: acme.id))
        #expect(revoked.revokedAt != nil)
        #expect(try await catalog.apiKey(secret: secret) == nil)

        let (expiring, _) = try await catalog.createAPIKey(tenantID: acme.id, name: "e", scopes: [.statsRead], expiresAt: 10_000)
        #expect(try await catalog.apiKey(secret: expiring, now: 9_999) != nil)
        #expect(try await catalog.apiKey(secret: expiring, now: 10_000) == nil)
    }

    @Test func siteRestrictionAndLastUseAreStored() async throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        let acme = try await catalog.tenant(named: "acme")
        let (secret, key) = try await catalog.createAPIKey(tenantID: acme.id, name: "k", scopes: [.statsRead], siteIDs: [3, 7])
        #expect(key.allows(siteID: 7) && !key.allows(siteID: 4))
        try await catalog.recordKeyUse([key.id: 5_000])
        try await catalog.recordKeyUse([key.id: 4_000])
        let stored = try #require(try await catalog.apiKey(secret: secret))
        #expect(stored.siteIDs == [3, 7])
        #expect(stored.lastUsedAt == 5_000)
        #expect(try await catalog.apiKeys(tenantID: acme.id).map(\.id) == [key.id])
    }

    @Test func auditEntriesPageNewestFirstPerTenant() async throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        try await catalog.appendAudit((1...5).map {
            AuditEntry(at: Int64($0), tenantID: 1, actor: "key ff_live_abcd…", action: "sites.read", keyID: 9,
                       route: "/api/v1/sites/{key}", target: "s_\($0)", status: 200)
        } + [AuditEntry(at: 6, tenantID: 2, actor: "cli", action: "site.create", detail: "other tenant")])
        let first = try await catalog.auditLog(tenantID: 1, limit: 2)
        #expect(first.map(\.target) == ["s_5", "s_4"])
        let next = try await catalog.auditLog(tenantID: 1, beforeID: first.last?.id, limit: 10)
        #expect(next.map(\.target) == ["s_3", "s_2", "s_1"])
        #expect(next.allSatisfy { $0.keyID == 9 && $0.status == 200 && $0.route == "/api/v1/sites/{key}" })
    }

    @Test func usageAddsUpPerMonthAndQuotasRoundTrip() async throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        try await catalog.addUsage(month: "2026-11", apiCalls: [1: 3], visitors: [1: [10, 11]])
        try await catalog.addUsage(month: "2026-11", apiCalls: [1: 2], visitors: [1: [11, 12]])
        try await catalog.addUsage(month: "2026-12", apiCalls: [1: 7], visitors: [:])
        #expect(try await catalog.apiCallUsage(month: "2026-11") == [1: 5])
        #expect(try await catalog.trackedVisitors(month: "2026-11") == [1: [10, 11, 12]])
        let tenant = try await catalog.tenant(named: "acme")
        try await catalog.setQuota(TenantQuota(apiCallsPerMonth: 100), tenantID: tenant.id)
        #expect(try await catalog.quotas() == [tenant.id: TenantQuota(apiCallsPerMonth: 100, visitorsPerMonth: nil)])
        #expect(UsageMonth.of(1_764_547_199_999) == "2025-11")  // 2025-11-30T23:59:59.999Z
        #expect(UsageMonth.of(1_764_547_200_000) == "2025-12")
    }
}
