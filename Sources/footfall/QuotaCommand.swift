import ArgumentParser
import FootfallStore

/// `footfall quota`: print or set a tenant's monthly API call and tracked-visitor quotas.
struct QuotaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota",
        abstract: "Print or set a tenant's monthly quotas (a running server applies changes within a second).",
        discussion: """
            Over the API call quota, /api/v1 answers 429 until the next month (UTC). Over the visitor \
            quota, events of new visitors are dropped (reason 'quota' in /metrics); known visitors \
            keep being tracked. 'none' removes a quota.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Tenant (account) name.") var tenant: String = "default"
    @Option(help: "Authenticated API requests per month, or 'none'.") var apiCalls: String?
    @Option(help: "Distinct visitors tracked per month, or 'none'.") var visitors: String?

    func run() async throws {
        let catalog = try dataOptions.openExistingCatalog()
        let owner = try await catalog.knownTenant(tenant)
        var quota = try await catalog.quotas()[owner.id] ?? TenantQuota()
        if apiCalls != nil || visitors != nil {
            if let apiCalls { quota.apiCallsPerMonth = try Self.parse(apiCalls, option: "--api-calls") }
            if let visitors { quota.visitorsPerMonth = try Self.parse(visitors, option: "--visitors") }
            try await catalog.setQuota(quota, tenantID: owner.id)
            try await catalog.audit(
                tenantID: owner.id, actor: "cli", action: "quota.set",
                detail: "api_calls \(quota.apiCallsPerMonth.map(String.init) ?? "none") visitors \(quota.visitorsPerMonth.map(String.init) ?? "none")")
        }
        print("api_calls=\(quota.apiCallsPerMonth.map(String.init) ?? "none")")
        print("visitors=\(quota.visitorsPerMonth.map(String.init) ?? "none")")
    }

    static func parse(_ text: String, option: String) throws -> Int? {
        if text == "none" { return nil }
        guard let value = Int(text), value >= 0 else { throw ValidationError("\(option) must be a count ≥ 0 or 'none'") }
        return value
    }
}
