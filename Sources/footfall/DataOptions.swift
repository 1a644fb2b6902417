import ArgumentParser
import FootfallStore
import Foundation

/// `--data DIR`, shared by every command that touches stored data.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (default: $FOOTFALL_DATA or ./footfall-data).")
    var data: String = ProcessInfo.processInfo.environment["FOOTFALL_DATA"] ?? "./footfall-data"

    var catalogPath: String { data + "/catalog.sqlite" }

    /// Opens the catalog, creating the data directory on first use.
    func openCatalog() throws -> Catalog {
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        return try Catalog(path: catalogPath)
    }
}

