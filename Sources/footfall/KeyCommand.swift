import ArgumentParser
import FootfallCore
import FootfallStore

/// `footfall key create|list|revoke`: Lead API keys.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Manage API keys.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key; prints the key alone on stdout (it is stored only as a hash).")

        @OptionGroup var dataOptions: DataOptions
        @Option(name: [.customLong("scope"), .customLong("scopes")],
                help: "Scopes, comma-separated or repeated: \(Scope.allCases.map(\.rawValue).joined(separator: ", ")).")
        var scopes: [String]
        @Option(name: .customLong("site"), help: "Restrict the key to this site key (repeatable); default: every site of the tenant.")
        var sites: [String] = []
        @Option(help: "When the key stops working: ISO 8601, YYYY-MM-DD or epoch ms.") var expires: String?
        @Option(help: "A label for the key.") var name: String = "cli"
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let parsed: [Scope]
            do {
                parsed = try Scope.parseList(scopes.joined(separator: ","))
            } catch let error as CatalogError {
                throw ValidationError(error.description)
            }
            guard !parsed.isEmpty else { throw ValidationError("--scope must name at least one scope") }
            let expiresAt = try expires.map { text in
                guard let ms = Timestamp.parse(text) else { throw ValidationError("--expires \(text): not a time (use ms, YYYY-MM-DD or ISO 8601)") }
                guard ms > Timestamp.nowMs() else { throw ValidationError("--expires \(text) is in the past") }
                return ms
            }
            let catalog = try dataOptions.openCatalog()
            let owner = try await catalog.tenantCreatingIfNew(tenant)
            var siteIDs: [Int64]? = nil
            if !sites.isEmpty {
                siteIDs = []
                for key in sites {
                    guard let site = try await catalog.site(key: key), site.tenantID == owner.id else {
                        throw ValidationError("no site '\(key)' in tenant '\(tenant)'")
                    }
                    siteIDs?.append(site.id)
                }
            }
            let (secret, key) = try await catalog.createAPIKey(
                tenantID: owner.id, name: name, scopes: parsed, siteIDs: siteIDs, expiresAt: expiresAt)
            try await catalog.audit(
                tenantID: owner.id, actor: "cli", action: "key.create",
                detail: "key \(key.id) \(key.prefix)… scopes \(parsed.map(\.rawValue).joined(separator: ","))"
                    + (sites.isEmpty ? "" : " sites \(sites.joined(separator: ","))"))
            print(secret)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a tenant's keys: id, prefix, name, scopes, sites, expires, last used, status.")

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let catalog = try dataOptions.openExistingCatalog()
            let owner = try await catalog.knownTenant(tenant)
            let siteKeys = Dictionary(uniqueKeysWithValues: try await catalog.sites(tenantID: owner.id).map { ($0.id, $0.key) })
            let now = Timestamp.nowMs()
            for key in try await catalog.apiKeys(tenantID: owner.id, limit: .max) {
                let status = key.revokedAt != nil ? "revoked" : key.isLive(at: now) ? "live" : "expired"
                print([
                    String(key.id), key.prefix + "…", key.name, key.scopes.map(\.rawValue).joined(separator: ","),
                    key.siteIDs.map { $0.compactMap { siteKeys[$0] }.joined(separator: ",") } ?? "all sites",
                    key.expiresAt.map(Timestamp.iso8601) ?? "never", key.lastUsedAt.map(Timestamp.iso8601) ?? "never used", status,
                ].joined(separator: "\t"))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id; it fails from its next request on.")

        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The key id (first column of `footfall key list`).") var id: Int64
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let catalog = try dataOptions.openExistingCatalog()
            let owner = try await catalog.knownTenant(tenant)
            guard let key = try await catalog.revokeAPIKey(id: id, tenantID: owner.id) else {
                throw ValidationError("no key \(id) in tenant '\(tenant)'")
            }
            try await catalog.audit(tenantID: owner.id, actor: "cli", action: "key.revoke", detail: "key \(key.id) \(key.prefix)…")
            print("revoked key \(key.id) \(key.prefix)…")
        }
    }
}
