import ArgumentParser
import FootfallCore
import FootfallStore
import Foundation

extension DataOptions {
    var eventsPath: String { data + "/events.sqlite" }

    /// Opens the event store of the data directory.
    func openEventStore() throws -> SQLiteEventStore {
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        return try SQLiteEventStore(path: eventsPath)
    }

    /// The id of the site with key `key`, or a validation error naming it.
    func siteID(key: String) async throws -> Int64 {
        guard let site = try await openCatalog().site(key: key) else { throw ValidationError("unknown site key \(key)") }
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
        let result = try await dataOptions.openEventStore().compact()
        print("compacted \(result.visits) visits and \(result.events) events into \(result.segments) segments")
    }
}

/// `footfall retention --days N [--site KEY]`: drops data older than N days.
struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention", abstract: "Delete stored visits and events older than a number of days.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Keep this many days of data.") var days: Int
    @Option(help: "Only this site (key); all sites when omitted.") var site: String?

    func validate() throws {
        guard days > 0 else { throw ValidationError("--days must be at least 1") }
    }

    func run() async throws {
        var siteID: Int64?
        if let site { siteID = try await dataOptions.siteID(key: site) }
        let cutoff = Timestamp.nowMs() - Int64(days) * 86_400_000
        let result = try await dataOptions.openEventStore().dropData(olderThan: cutoff, siteID: siteID)
        try await dataOptions.openCatalog().audit(
            tenantID: nil, actor: "cli", action: "retention",
            detail: "days \(days) site \(site ?? "all"): \(result.segments) segments, \(result.hotVisits) visits, \(result.hotEvents) events")
        print("deleted \(result.segments) segments, \(result.hotVisits) hot visits, \(result.hotEvents) hot events older than \(Timestamp.iso8601(cutoff))")
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
        let result = try await dataOptions.openEventStore().rebuildVisits(siteID: siteID, from: from, to: to)
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
