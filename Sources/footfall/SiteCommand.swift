import ArgumentParser
import FootfallCore
import FootfallStore

/// `footfall site`: create and list tracked sites, print and change their settings.
struct SiteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "Manage tracked sites.", subcommands: [Create.self, List.self, Config.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a site; prints its key alone on stdout.")

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Display name of the site.") var name: String
        @Option(help: "A domain of the site (repeatable); referrers from it count as internal.") var domain: [String] = []
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let catalog = try dataOptions.openCatalog()
            let owner = try await catalog.tenantCreatingIfNew(tenant)
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
            for site in try await dataOptions.openExistingCatalog().sites() {
                print([site.key, site.name, site.domains.joined(separator: ",")].joined(separator: "\t"))
            }
        }
    }

    struct Config: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print or change a site's live tracker settings.",
            discussion: """
                Without --set, prints every setting as key=value. Each --set key=value changes one; \
                all are checked before any is stored. Trackers apply changes on their next page load \
                (within about 15 seconds). Settings: \(SiteConfigKey.allCases.map(\.rawValue).joined(separator: ", ")).
                """)

        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The site key (s_…).") var site: String
        @Option(name: .customLong("set"), help: "key=value (repeatable), e.g. excluded_paths=/admin/*,/preview*")
        var assignments: [String] = []

        func run() async throws {
            let catalog = try dataOptions.openExistingCatalog()
            guard var current = try await catalog.site(key: site) else {
                throw ValidationError(CatalogError.unknownSite(site).description)
            }
            if !assignments.isEmpty {
                do {
                    current = try SiteConfigKey.apply(assignments, to: current)
                } catch {
                    throw ValidationError(String(describing: error))
                }
                try await catalog.updateSettings(of: current)
                try await catalog.audit(
                    tenantID: current.tenantID, actor: "cli", action: "site.config",
                    detail: "site \(current.key) " + assignments.joined(separator: " "))
            }
            for key in SiteConfigKey.allCases { print("\(key.rawValue)=\(key.value(in: current))") }
        }
    }
}
