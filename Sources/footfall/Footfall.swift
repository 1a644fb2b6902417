import ArgumentParser

/// The `footfall` command: runs the server and administers sites, keys and data.
@main
struct Footfall: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "footfall",
        abstract: "Privacy-first website-visitor lead generation.",
        subcommands: [
            ServeCommand.self, SiteCommand.self, KeyCommand.self, ImportIPDataCommand.self, ImportPlacesCommand.self, LookupIPCommand.self,
            ClassifyUACommand.self, AuditCommand.self, QuotaCommand.self, CompactCommand.self, RetentionCommand.self, RebuildVisitsCommand.self, CheckCommand.self,
            EraseCommand.self, ExportSubjectCommand.self,
            RebuildLeadsCommand.self, AccountsCommand.self, MigrateCommand.self,
            ExportCommand.self, SinkCommand.self, AlertCommand.self,
        ])
}
