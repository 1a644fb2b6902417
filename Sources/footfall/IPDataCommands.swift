import ArgumentParser
import FootfallCore
import FootfallEnrich
import Foundation

/// `footfall import-ip-data FILE`: validates an IP-data file and installs it; a running
/// server switches to it within a second, without a restart.
struct ImportIPDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-ip-data",
        abstract: "Install or replace an IP → organisation source (MMDB, iptoasn/RIR CSV, or a tenant's custom ranges).",
        discussion: """
            mmdb    MaxMind DB files (GeoLite2/GeoIP2 ASN, ISP, City, Country; ipinfo), read with libmaxminddb.
            csv     start,end,asn,country,name rows (iptoasn ip2asn-v4/v6/combined, tab or comma separated).
            custom  range,organisation,domain[,network_type[,country]] rows for one tenant (--tenant).
            A file is checked completely first; a broken one is refused with its line or byte offset
            and the data already installed stays in use.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Argument(help: "The file to import.") var file: String
    @Option(help: "mmdb, csv or custom (default: from the extension; custom when --tenant is given).")
    var format: IPDataDirectory.Format?
    @Option(help: "Tenant (account) name whose custom ranges these are.") var tenant: String?
    @Option(help: "Source name for mmdb/csv files; importing the same name replaces it (default: the file name).")
    var name: String?

    func run() async throws {
        let format = format ?? IPDataDirectory.guessFormat(path: file, tenant: tenant != nil)
        if format != .custom, tenant != nil { throw ValidationError("--tenant applies to custom ranges only") }
        let catalog = try dataOptions.openCatalog()
        var owner: Tenant?
        if let tenant { owner = try await catalog.knownTenant(tenant) }
        // An IPDataError prints as `Error: FILE: line N: …` and exits 1, without the usage text.
        let installed = try IPDataDirectory(dataDirectory: dataOptions.data)
            .install(file, format: format, tenantID: owner?.id, name: name)
        try await catalog.audit(
            tenantID: owner?.id, actor: "cli", action: "ipdata.import",
            detail: "\(format.rawValue) \(installed.path) (\(installed.size) \(format == .mmdb ? "nodes" : "ranges"))")
        let what = format == .mmdb ? "\(installed.databaseType), \(installed.size) search-tree nodes" : "\(installed.size) ranges"
        print("installed \(installed.path) (\(what))")
    }
}

/// `footfall lookup-ip IP`: what every layer says about an address, for debugging.
struct LookupIPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup-ip", abstract: "Show what each IP-data layer says about an address.")

    @OptionGroup var dataOptions: DataOptions
    @Argument(help: "An IPv4 or IPv6 address.") var ip: String
    @Option(help: "Tenant whose custom ranges apply.") var tenant: String?
    @Flag(help: "Also look up the PTR name (waits up to 2 s).") var reverseDNS = false

    func run() async throws {
        guard let address = IPAddress(ip) else { throw ValidationError("'\(ip)' is not an IPv4 or IPv6 address") }
        var tenantID: Int64?
        if let tenant { tenantID = try await dataOptions.openExistingCatalog().knownTenant(tenant).id }
        let intelligence = IPIntelligence(
            directory: IPDataDirectory(dataDirectory: dataOptions.data),
            reverseDNS: reverseDNS ? ReverseDNS(suffixes: try PublicSuffixList.load()) : nil)
        for problem in intelligence.snapshot.problems { FileHandle.standardError.write(Data("warning: \(problem)\n".utf8)) }
        let (lookup, outcome) = await intelligence.explain(address, tenantID: tenantID)
        print(Self.render(address, lookup, reverseDNS: outcome))
    }

    static func render(_ address: IPAddress, _ lookup: IPLookup, reverseDNS: ReverseDNS.Outcome?) -> String {
        var lines = ["\(address)"]
        if lookup.layers.isEmpty { lines.append("  (no IP data installed: see `footfall import-ip-data --help`)") }
        for layer in lookup.layers where layer.source != "rdns" {
            lines.append("  \(layer.source.padding(toLength: 18, withPad: " ", startingAt: 0)) \(layer.record.map(describe) ?? "-")")
        }
        switch reverseDNS {
        case .found(let answer): lines.append("  rdns               \(answer.hostname) (domain \(answer.domain.isEmpty ? "-" : answer.domain))")
        case .noName: lines.append("  rdns               no PTR name")
        case .timedOut: lines.append("  rdns               timed out")
        case nil: break
        }
        lines.append("  => \(describe(lookup.record)) type=\(lookup.networkType.rawValue)\(lookup.networkType.becomesLead ? " (lead)" : "")")
        return lines.joined(separator: "\n")
    }

    static func describe(_ record: NetworkRecord) -> String {
        var parts: [String] = []
        if !record.organisation.isEmpty { parts.append("org=\"\(record.organisation)\"") }
        if !record.domain.isEmpty { parts.append("domain=\(record.domain)") }
        if record.asn != 0 { parts.append("asn=AS\(record.asn)") }
        if !record.country.isEmpty { parts.append("country=\(record.country)") }
        if !record.region.isEmpty { parts.append("region=\"\(record.region)\"") }
        if !record.city.isEmpty { parts.append("city=\"\(record.city)\"") }
        if let type = record.networkType { parts.append("stated_type=\(type.rawValue)") }
        return parts.isEmpty ? "-" : parts.joined(separator: " ")
    }
}

extension IPDataDirectory.Format: ExpressibleByArgument {}
