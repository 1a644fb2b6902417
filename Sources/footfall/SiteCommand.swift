import ArgumentParser
import FootfallStore

/// `footfall site`: create and list tracked sites.
struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Manage tracked sites.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a site; prints its key alone on stdout.")

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Display name of the site.") var name: String
        @Option(help: "A domain of the site (repeatable); referrers from it count as internal.") var domain: [String] = []
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let catalog = try dataOptions.openCatalog()
            let owner = try await catalog.tenant(named: tenant)
            do {
                let site = try await catalog.createSite(tenantID: owner.id, name: name, domains: domain)
                try await catalog.audit(tenantID: owner.id, actor: "cli", action: "site.create", detail: "site \(site.key) \(site.name)")
                print(site.key)
            } catch let error as CatalogError {
                throw ValidationError(error.description)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sites: key, name, domains.")

        @OptionGroup var dataOptions: DataOptions

        func run() async throws {
            for site in try await dataOptions.openCatalog().sites() {
                print([site.key, site.name, site.domains.joined(separator: ",")].joined(separator: "\t"))
            }
        }
    }
}
