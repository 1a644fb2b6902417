import ArgumentParser
import FootfallStore
import Foundation

/// `--data DIR`, shared by every command that touches stored data.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (default: $FOOTFALL_DATA or ./footfall-data).")
    var data: String = ProcessInfo.processInfo.environment["FOOTFALL_DATA"] ?? "./footfall-data"

    var directory: DataDirectory { DataDirectory(data) }

    /// Opens the catalog, creating the data directory on first use.
    func openCatalog() throws -> Catalog {
        try directory.create()
        return try Catalog(path: directory.catalogPath)
    }

    /// Takes the data directory's writer lock for a command that rewrites visits, which must
    /// not run under a live server (``DataDirectory/lockWriter(holder:)``).
    /// - Parameters:
    ///   - command: the command's name, e.g. `retention`.
    ///   - instead: what to do while the server runs.
    /// - Throws: ``WriterLockRefusal`` when a server (or another such command) holds it.
    func lockWriter(command: String, instead: String) throws -> FileLock {
        do {
            return try directory.lockWriter(holder: "footfall \(command)")
        } catch let busy as DataDirectoryBusy {
            throw WriterLockRefusal(busy: busy, command: command, instead: instead)
        }
    }
}

/// A command that rewrites visits found the data directory's writer lock taken.
struct WriterLockRefusal: Error, CustomStringConvertible {
    let busy: DataDirectoryBusy
    let command: String
    let instead: String

    var description: String {
        "\(busy.description); `footfall \(command)` would race its open visits. \(instead)"
    }
}

