import FootfallStore
import Foundation

/// A real catalog SQLite file in a fresh temp directory, removed when released.
final class TemporaryCatalog {
    let directory: String
    let catalog: Catalog

    init() throws {
        directory = NSTemporaryDirectory() + "footfall-export-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        catalog = try Catalog(path: directory + "/catalog.sqlite")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
