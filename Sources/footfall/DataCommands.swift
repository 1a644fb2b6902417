import ArgumentParser
import FootfallCore
import FootfallStore
import Foundation

extension DataOptions {
    /// Opens the store `--store` names (the data directory's embedded store by default).
    func openEventStore() async throws -> any StorageBackend {
        try await storeLocation().open(directory)
    }

    /// The id of the site with key `key`, or a validation error naming it.
    func siteID(key: String) async throws -> Int64 {
        guard let site = try await openExistingCatalog().site(key: key) else { throw ValidationError("unknown site key \(key)") }
        return site.id
    }
}

/// Parses `--from` / `--to` times: milliseconds, `YYYY-MM-DD` or ISO 8601.
struct TimeRangeOptions: ParsableArguments {
    @Option(help: "Start (inclusive): milliseconds since the epoch, YYYY-MM-DD or ISO 8601.") var from: String?
    @Option(help: "End (exclusive), same forms as --from.") var to: String?

    func bounds() throws -> (from: Int64, to: Int64) {
        func parse(_ text: String?, _ name: String, default value: Int64) throws -> Int64 {
            guard let text else { return value }
            guard let parsed = Timestamp.parse(text) else { throw ValidationError("\(name) \(text): not a time (use ms, YYYY-MM-DD or ISO 8601)") }
            return parsed
        }
        let bounds = (from: try parse(from, "--from", default: .min), to: try parse(to, "--to", default: .max))
        guard bounds.from < bounds.to else { throw ValidationError("--from must be before --to") }
        return bounds
    }
}

/// `footfall compact`: moves final visits and old events into columnar segments now.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact", abstract: "Compact final visits and old events into columnar segments.")

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let result = try await dataOptions.withWriterLock(command: "compact", instead: "The server compacts every minute itself.") {
            try await $0.compact(now: Timestamp.nowMs(), minimumRows: 0)
        }
        print("compacted \(result.visits) visits and \(result.events) events into \(result.segments) segments")
    }
}

/// `footfall retention [run] [--site KEY] [--days N]`: enforces retention now (cron-able).
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Delete stored data older than each site's retention_days.",
        subcommands: [RetentionRunCommand.self], defaultSubcommand: RetentionRunCommand.self)
}

/// `footfall retention run`: what the server does daily, for cron or a systemd timer.
struct RetentionRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Delete visits and events older than each site's retention_days (or --days), then reclaim the space.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Keep this many days instead of the sites' retention_days.") var days: Int?
    @Option(help: "Only this site (key); all sites when omitted.") var site: String?

    func validate() throws {
        if let days, days < 1 { throw ValidationError("--days must be at least 1") }
    }

    func run() async throws {
        let catalog = try dataOptions.openExistingCatalog()
        var sites = try await catalog.sites()
        if let site {
            sites = sites.filter { $0.key == site }
            guard !sites.isEmpty else { throw ValidationError("unknown site key \(site)") }
        }
        if let days { sites = sites.map { var site = $0; site.privacy.retentionDays = days; return site } }
        let reports = try await dataOptions.withWriterLock(
            command: "retention", instead: "The server applies each site's retention_days daily; stop it first to run this now."
        ) { store in
            try await DataLifecycle(catalog: catalog, store: store).enforceRetention(sites: sites, actor: "cli")
        }
        let total = reports.map(\.removed).reduce(into: RetentionResult()) {
            $0.segments += $1.segments
            $0.hotVisits += $1.hotVisits
            $0.hotEvents += $1.hotEvents
        }
        print("deleted \(total.segments) segments, \(total.hotVisits) hot visits, \(total.hotEvents) hot events")
        for report in reports {
            print("  \(report.siteKey): \(report.removed.segments) segments, \(report.removed.hotVisits) hot visits, \(report.removed.hotEvents) hot events older than \(Timestamp.iso8601(report.cutoff))")
        }
    }
}

/// `footfall rebuild-visits --site KEY [--from --to]`: re-derives visits from stored events.
struct RebuildVisitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild-visits", abstract: "Re-derive a site's visits from its stored events.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Site key.") var site: String
    @OptionGroup var range: TimeRangeOptions

    func run() async throws {
        let siteID = try await dataOptions.siteID(key: site)
        let (from, to) = try range.bounds()
        let result = try await dataOptions.withWriterLock(command: "rebuild-visits", instead: "Stop the server first.") {
            try await $0.rebuildVisits(siteID: siteID, from: from, to: to)
        }
        print("rebuilt \(result.visitsAfter) visits (was \(result.visitsBefore)) from \(result.events) events")
    }
}

/// `footfall check`: verifies every columnar segment; exits 1 when one is corrupt.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Verify the checksums of all columnar segments.")

    @OptionGroup var dataOptions: DataOptions

    func run() async throws {
        let result = try await dataOptions.openEventStore().checkSegments()
        for problem in result.problems { print(problem.description) }
        print("checked \(result.segments) segments: \(result.problems.isEmpty ? "ok" : "\(result.problems.count) problem(s)")")
        if !result.problems.isEmpty { throw ExitCode(1) }
    }
}
