import ArgumentParser
import FootfallExport
import FootfallStore
import Foundation

/// `footfall sink`: a tenant's configured export targets.
struct SinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sink", abstract: "Configure export targets (CRMs, webhooks, files).",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or replace a sink. Secrets are never stored: name the variable or 0600 file that holds them.",
            discussion: "Kinds: \(SinkKind.allCases.map(\.rawValue).joined(separator: ", ")).")

        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "Kind of target.") var kind: String
        @Option(help: "The sink's name, used by `footfall export NAME`.") var name: String
        @OptionGroup var sinkSettings: SinkSettingsOptions
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let catalog = try dataOptions.openCatalog()
            let owner = try await catalog.knownTenant(tenant)
            let sink = ExportSink(tenantID: owner.id, name: name, kind: kind, settings: sinkSettings.settings)
            try await ExportCLI.exitingOnConfigurationError {
                try SinkFactory.validate(sink)
                try await catalog.saveExportSink(sink)
            }
            try await catalog.audit(tenantID: owner.id, actor: "cli", action: "sink.add", detail: "sink \(name) (\(kind))")
            print(name)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sinks: name, kind, settings (secrets' sources only).")

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let catalog = try dataOptions.openExistingCatalog()
            let owner = try await catalog.knownTenant(tenant)
            for sink in try await catalog.exportSinks(tenantID: owner.id) {
                let settings = sink.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                let checkpoint = try await catalog.exportCheckpoint(tenantID: owner.id, sink: sink.name)
                let parked = try await catalog.parkedExportRefusals(tenantID: owner.id, sink: sink.name)
                let parkedText = parked.isEmpty ? [] : ["parked=" + parked.map { "\($0.leadID)@\($0.changeSeq)" }.joined(separator: ",")]
                print(([sink.name, sink.kind, "checkpoint=\(checkpoint.changeSeq)"] + parkedText + [settings]).joined(separator: "\t"))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a sink and its checkpoints.")

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "The sink's name.") var name: String
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let catalog = try dataOptions.openExistingCatalog()
            let owner = try await catalog.knownTenant(tenant)
            try await ExportCLI.exitingOnConfigurationError {
                try await catalog.removeExportSink(tenantID: owner.id, name: name)
            }
            try await catalog.audit(tenantID: owner.id, actor: "cli", action: "sink.remove", detail: "sink \(name)")
        }
    }
}
