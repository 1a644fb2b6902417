import ArgumentParser
import FootfallCore
import FootfallServer
import FootfallStore
import Foundation

/// Selects a data subject of one site: `--visitor`, `--org` or `--ip-range`, exactly one.
struct SubjectOptions: ParsableArguments {
    @Option(help: "Site key.") var site: String
    @Option(parsing: .unconditional, help: "Visitor id: the 16 hex digits the Lead API shows (or the decimal /api/v1/events shows).")
    var visitor: String?
    @Option(help: "Organisation domain, e.g. acme.com.") var org: String?
    @Option(name: .customLong("ip-range"), help: "IP range: CIDR (203.0.113.0/24), address, or first-last.") var ipRange: String?

    func validate() throws {
        _ = try selector()
    }

    private func selector() throws -> DataSubject.Selector {
        let id = try visitor.map { text in
            guard let id = VisitorIDText.parse(text) else { throw ValidationError("--visitor \(text): expected \(VisitorIDText.expected)") }
            return id
        }
        do {
            return try SubjectSelection.selector(visitor: id, organisation: org, ipRange: ipRange)
        } catch .notExactlyOne {
            throw ValidationError("give exactly one of --visitor, --org, --ip-range")
        } catch .emptyOrganisation {
            throw ValidationError("--org must not be empty")
        } catch .badIPRange(let text) {
            throw ValidationError("--ip-range \(text): not an address, CIDR or first-last range")
        }
    }

    /// The site and the subject within it.
    func subject(_ catalog: Catalog) async throws -> (Site, DataSubject) {
        guard let found = try await catalog.site(key: site) else { throw ValidationError("unknown site key \(site)") }
        return (found, DataSubject(siteID: found.id, selector: try selector()))
    }
}

/// `footfall erase`: GDPR art. 17 erasure of one subject's events and visits.
struct EraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a visitor's, an organisation's or an IP range's events and visits (hot rows and segments).")

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var selection: SubjectOptions

    func run() async throws {
        let catalog = try dataOptions.openExistingCatalog()
        let (site, subject) = try await selection.subject(catalog)
        let result = try await dataOptions.withWriterLock(
            command: "erase", instead: "Erase through the running server: DELETE /api/v1/privacy/subjects (scope privacy:admin)."
        ) { store in
            try await DataLifecycle(catalog: catalog, store: store).erase(subject, of: site, actor: "cli")
        }
        print("erased \(result.events) events, \(result.visits) visits (\(result.segmentsRewritten) segments rewritten); receipt \(result.receipt)")
    }
}

/// `footfall export-subject`: GDPR arts. 15 and 20 access and portability as JSON.
struct ExportSubjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-subject",
        abstract: "Print every stored event and visit of a visitor, organisation or IP range as JSON.")

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var selection: SubjectOptions
    @Option(help: "Write the JSON to this file (mode 0600: it holds personal data) instead of standard output.")
    var output: String?

    func run() async throws {
        let catalog = try dataOptions.openExistingCatalog()
        let (site, subject) = try await selection.subject(catalog)
        let lifecycle = DataLifecycle(catalog: catalog, store: try await dataOptions.openEventStore())
        let document = try await lifecycle.export(subject, of: site, actor: "cli")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let json = try encoder.encode(document)
        if let output {
            // Created owner-only before any byte is written: the document is a person's data.
            guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = FileHandle(forWritingAtPath: output) else {
                throw ValidationError("--output \(output): cannot create the file (does its directory exist and is it writable?)")
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: output)
            try handle.write(contentsOf: json)
            try handle.close()
            print("wrote \(document.events.count) events, \(document.visits.count) visits to \(output); receipt \(document.receipt)")
        } else {
            print(String(decoding: json, as: UTF8.self))
        }
    }
}
