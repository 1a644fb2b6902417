import ArgumentParser
import FootfallCore
import FootfallStore

/// `footfall audit`: the newest audit-log entries of a tenant (admin and API actions).
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print a tenant's audit log, newest first: time, actor, action, then the detail (CLI) or route, target and status (API).",
        subcommands: [AuditVerifyCommand.self, AuditPruneCommand.self])

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Tenant (account) name.") var tenant: String = "default"
    @Option(help: "How many entries (1–10000).") var limit: Int = 100

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 10000") }
    }

    func run() async throws {
        let catalog = try dataOptions.openExistingCatalog()
        let owner = try await catalog.knownTenant(tenant)
        for entry in try await catalog.auditLog(tenantID: owner.id, limit: limit) {
            let rest = entry.route.isEmpty
                ? [entry.detail]
                : [entry.route, entry.target, entry.status.map(String.init) ?? ""]
            print(([Timestamp.iso8601(entry.at), entry.actor, entry.action] + rest).joined(separator: "\t"))
        }
    }
}
