import ArgumentParser
import FootfallCore
import FootfallExport
import FootfallStore
import Foundation

/// `footfall export SINK`: sends lead changes after the sink's checkpoint (for cron).
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Send changed leads to a sink; exactly once in effect, resumable after any crash.",
        discussion: """
            SINK is a configured sink's name (`footfall sink add`) or a kind used unconfigured with flags \
            (\(SinkKind.allCases.map(\.rawValue).joined(separator: ", "))). Prints one summary line on stderr. \
            Exit status: 0 all sent, 1 partial failure (details printed), 2 configuration error.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Argument(help: "Sink name or kind.") var sink: String
    @Option(help: "Export only this site's leads (its key); keeps a checkpoint of its own.") var site: String?
    @Flag(help: "Start after the sink's checkpoint (the default).") var sinceCheckpoint = false
    @Flag(help: "Send every lead from the first change on.") var full = false
    @Flag(help: "Print what would be sent, in the sink's format (CSV rows, NDJSON, the webhook or CRM request bodies) on stdout; send nothing, keep the checkpoint.") var dryRun = false
    @Option(help: "Send at most this many leads.") var limit: Int?
    @Option(help: "Skip leads scoring below this (0–100).") var minScore: Int = 0
    @Option(help: "Read the changes from a remote Footfall's Lead API instead of the data directory.") var fromApi: String?
    @Option(help: "With --from-api: environment variable holding an API key with leads:read.") var keyEnv: String?
    @OptionGroup var sinkSettings: SinkSettingsOptions
    @Option(help: "Tenant (account) name.") var tenant: String = "default"

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        // A remote feed's checkpoints may start a data directory; a local export reads one.
        let catalog = try fromApi == nil ? dataOptions.openExistingCatalog() : dataOptions.openCatalog()
        let owner = try await catalog.knownTenant(tenant)
        let (configured, scope, lock, leadSink) = try await ExportCLI.exitingOnConfigurationError {
            guard !(full && sinceCheckpoint) else {
                throw ExportConfigurationError.invalidSetting(setting: "--full", value: "with --since-checkpoint", expected: "one of the two")
            }
            guard limit.map({ $0 > 0 }) ?? true else {
                throw ExportConfigurationError.invalidSetting(setting: "--limit", value: "\(limit!)", expected: "a positive integer")
            }
            guard (0...100).contains(minScore) else {
                throw ExportConfigurationError.invalidSetting(setting: "--min-score", value: "\(minScore)", expected: "0–100")
            }
            var configured: ExportSink
            var byKind = false
            if let stored = try await catalog.exportSink(tenantID: owner.id, name: sink) {
                configured = stored
                configured.settings.merge(sinkSettings.settings) { _, flag in flag }
            } else if SinkKind(rawValue: sink) != nil {
                configured = ExportSink(tenantID: owner.id, name: sink, kind: sink, settings: sinkSettings.settings)
                byKind = true
            } else {
                throw ExportConfigurationError.unknownSink(sink)
            }
            // `footfall export webhook --url …` names a kind, not a configured sink: its checkpoint
            // is kept per target, so exports by kind to two receivers never share one.
            let settings = configured.settings
            let target = byKind ? settings["url"] ?? settings["output"] ?? settings["api_base"] : nil
            let scope = try await feedAndScope(
                catalog: catalog, sinkName: target.map { ExportCheckpoint.name(kind: configured.kind, target: $0) } ?? configured.name,
                tenantID: owner.id, environment: environment)
            let lock = try ExportLock(dataDirectory: dataOptions.data, tenantID: owner.id, sink: configured.name)
            let leadSink = try SinkFactory.make(configured, environment: environment) { FileHandle.standardOutput.write($0) }
            return (configured, scope, lock, leadSink)
        }
        let options = ExportOptions(full: full, siteID: scope.siteID, minScore: minScore, limit: limit, dryRun: dryRun)
        var exporter = LeadExporter(
            feed: scope.feed, catalog: catalog, tenantID: owner.id, sinkName: scope.checkpointName, sink: leadSink,
            options: options)
        let progress = ExportProgress(sink: configured.name)
        let summary = try await exporter.run(progress: progress.show) { FileHandle.standardOutput.write($0) }
        progress.clear()
        withExtendedLifetime(lock) {}
        for failure in summary.failures {
            ExportCLI.printError("lead \(failure.leadID) (change \(failure.changeSeq)): \(failure.reason)")
        }
        if let error = summary.error { ExportCLI.printError(error) }
        if !dryRun {
            // Lead data leaving for a target is an action the audit log records (never its secret).
            try await catalog.audit(
                tenantID: owner.id, actor: "cli", action: "export.run",
                detail: "\(configured.name) (\(configured.kind)): \(summary.line), checkpoint \(summary.checkpoint)")
        }
        let prefix = dryRun ? "\(configured.name) (dry run): " : "\(configured.name): "
        FileHandle.standardError.write(Data((prefix + summary.line + ", checkpoint \(summary.checkpoint)\n").utf8))
        if summary.error != nil || summary.failed > 0 { throw ExitCode(1) }
    }

    /// The change feed (a remote Footfall, or the data directory's lead store), the site to
    /// export and the checkpoint's name. A remote site has no local id, so a site-scoped
    /// remote export keeps its checkpoint under `SINK@SITE_KEY`.
    func feedAndScope(catalog: Catalog, sinkName: String, tenantID: Int64, environment: [String: String]) async throws
        -> (feed: any LeadChangeFeed, siteID: Int64?, checkpointName: String)
    {
        if let fromApi {
            guard let keyEnv else { throw ExportConfigurationError.missingSetting(kind: "--from-api", setting: "key_env") }
            guard let key = environment[keyEnv], !key.isEmpty else {
                throw ExportConfigurationError.missingSecret(source: "environment variable \(keyEnv) is unset or empty")
            }
            try SinkFactory.checkURL(fromApi, setting: "--from-api")
            let feed = RemoteLeadChangeFeed(baseURL: fromApi, apiKey: key, siteKey: site)
            return (feed, nil, site.map { "\(sinkName)@\($0)" } ?? sinkName)
        }
        let store = try await dataOptions.openEventStore()
        let sites = try await catalog.sites(tenantID: tenantID)
        try await store.registerLeadSites(sites)
        guard let site else { return (store, nil, sinkName) }
        guard let local = sites.first(where: { $0.key == site }) else {
            throw ExportConfigurationError.invalidSetting(setting: "--site", value: site, expected: "a site key of this tenant")
        }
        return (store, local.id, sinkName)
    }
}
