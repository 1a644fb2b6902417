import ArgumentParser
import FootfallStore

/// `footfall key`: create Lead API keys.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Manage API keys.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key; prints the key alone on stdout (it is stored only as a hash).")

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Comma-separated scopes: \(Scope.allCases.map(\.rawValue).joined(separator: ", ")).")
        var scopes: String
        @Option(help: "A label for the key.") var name: String = "cli"
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let parsed: [Scope]
            do {
                parsed = try Scope.parseList(scopes)
            } catch let error as CatalogError {
                throw ValidationError(error.description)
            }
            guard !parsed.isEmpty else { throw ValidationError("--scopes must name at least one scope") }
            let catalog = try dataOptions.openCatalog()
            let owner = try await catalog.tenant(named: tenant)
            let (secret, key) = try await catalog.createAPIKey(tenantID: owner.id, name: name, scopes: parsed)
            try await catalog.audit(
                tenantID: owner.id, actor: "cli", action: "key.create",
                detail: "key \(key.prefix)… scopes \(parsed.map(\.rawValue).joined(separator: ","))")
            print(secret)
        }
    }
}
