import ArgumentParser
import FootfallCore
import FootfallStore

/// `footfall audit verify`: walks the audit hash chain; exits 1 at the first broken link.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify the audit log's hash chain and checkpoint signature.")

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let result = try await dataOptions.openExistingCatalog().verifyAuditChain()
        if let broken = result.firstBroken {
            print("audit chain broken at \(broken) (\(result.checked) entries before it verified)")
            throw ExitCode(1)
        }
        print("audit chain ok: \(result.checked) entries")
    }
}

/// `footfall audit prune --days N`: audit-log retention, leaving a signed checkpoint.
struct AuditPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Delete audit entries older than --days, leaving a signed checkpoint.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Keep this many days of audit entries.") var days: Int

    func validate() throws {
        guard days >= 1 else { throw ValidationError("--days must be at least 1") }
    }

    func run() async throws {
        let cutoff = Timestamp.nowMs() - Int64(days) * Timestamp.dayMs
        let pruned = try await dataOptions.openExistingCatalog().pruneAuditLog(before: cutoff)
        print("pruned \(pruned) audit entries older than \(Timestamp.iso8601(cutoff))")
    }
}
