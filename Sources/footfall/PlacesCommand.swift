import ArgumentParser
import FootfallEnrich
import Foundation

/// `footfall import-places CITIES [--admin1 FILE]`: installs the places consented
/// geolocation resolves to (country and region), from a GeoNames dump.
struct ImportPlacesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-places",
        abstract: "Install the places that consented geolocation resolves to (GeoNames cities*.txt).",
        discussion: """
            CITIES  a GeoNames dump such as cities15000.txt (https://download.geonames.org/export/dump/).
            --admin1 admin1CodesASCII.txt from the same place, for region names (else admin1 codes).
            The file is checked completely first; a broken one is refused with its line and the places
            already installed stay. The server reads the places when it starts.
            """)

    @OptionGroup var dataOptions: DataOptions
    @Argument(help: "GeoNames cities file (tab-separated).") var cities: String
    @Option(help: "GeoNames admin1CodesASCII.txt, for region names.") var admin1: String?

    func run() async throws {
        let text = try Self.read(cities)
        let regions = try admin1.map(Self.read)
        let places = try PlaceData.parseGeoNames(cities: text, citiesName: cities, admin1: regions, admin1Name: admin1 ?? "")
        try FileManager.default.createDirectory(atPath: dataOptions.data, withIntermediateDirectories: true)
        try PlaceData.install(places, dataDirectory: dataOptions.data)
        let catalog = try dataOptions.openCatalog()
        try await catalog.audit(tenantID: nil, actor: "cli", action: "places.import", detail: "\(places.count) places from \(cities)")
        print("installed \(places.count) places in \(Set(places.map(\.country)).count) countries; restart the server to use them")
    }

    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }
}
