import ArgumentParser
import FootfallCore
import FootfallStore
import Foundation

/// `footfall rebuild-leads [--site KEY]`: re-derives leads from the stored visits.
struct RebuildLeadsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild-leads",
        abstract: "Re-derive leads from stored visits (hot and compacted); every rebuilt lead is announced in the change feed again.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Only this site (key); all sites when omitted.") var site: String?

    func run() async throws {
        let catalog = try dataOptions.openExistingCatalog()
        var sites = try await catalog.sites()
        if let site {
            sites = sites.filter { $0.key == site }
            guard !sites.isEmpty else { throw ValidationError("unknown site key \(site)") }
        }
        let store = try await dataOptions.openEventStore()
        try await store.registerLeadSites(sites)
        let count = try await store.rebuildLeads(siteIDs: sites.map(\.id))
        try await catalog.audit(tenantID: nil, actor: "cli", action: "rebuild-leads", detail: "sites=\(sites.map(\.key).joined(separator: ","))")
        print("rebuilt \(count) leads for \(sites.count) site(s)")
    }
}

/// `footfall accounts import FILE --tenant T`: the tenant's known accounts (ABM).
struct AccountsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accounts", abstract: "Manage a tenant's account list (account-based marketing).",
        subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a tenant's accounts with a CSV file (domain,name,industry,employees,owner,tier), validated whole.")

        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "CSV file with a header line; domain and name are required.") var file: String
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let accounts: [Account]
            do {
                accounts = try AccountList.parse(data)
            } catch {
                throw ValidationError("\(file): \(error); nothing imported")
            }
            let catalog = try dataOptions.openExistingCatalog()
            let owner = try await catalog.knownTenant(tenant)
            let store = try await dataOptions.openEventStore()
            try await store.registerLeadSites(catalog.sites(tenantID: owner.id))
            let rescored = try await store.replaceAccounts(tenantID: owner.id, with: accounts)
            try await catalog.audit(tenantID: owner.id, actor: "cli", action: "accounts.import", detail: "\(accounts.count) accounts")
            print("imported \(accounts.count) accounts for tenant \(tenant); \(rescored) leads re-scored")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a tenant's accounts as CSV.")

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let owner = try await dataOptions.openExistingCatalog().knownTenant(tenant)
            print("domain,name,industry,employees,owner,tier")
            for account in try await dataOptions.openEventStore().accounts(tenantID: owner.id) {
                print([account.domain, account.name, account.industry, String(account.employees), account.owner, account.tier]
                    .map { $0.contains(",") || $0.contains("\"") ? "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : $0 }
                    .joined(separator: ","))
            }
        }
    }
}
