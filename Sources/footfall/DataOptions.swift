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

    /// Runs `body` on the event store while holding the data directory's writer lock: how a
    /// command that rewrites visits runs, since it must not race a live server's open visits
    /// (``DataDirectory/lockWriter(holder:)``). The lock is released when `body` returns.
    /// - Parameters:
    ///   - command: the command's name, e.g. `retention`.
    ///   - instead: what to do while the server runs.
    /// - Throws: ``WriterLockRefusal`` when a server (or another such command) holds the
    ///   lock; what opening the store or `body` throws.
    func withWriterLock<T>(
        command: String, instead: String, _ body: (any StorageBackend) async throws -> T
    ) async throws -> T {
        let lock: FileLock
        do {
            lock = try directory.lockWriter(holder: "footfall \(command)")
        } catch let busy as DataDirectoryBusy {
            throw WriterLockRefusal(busy: busy, command: command, instead: instead)
        }
        defer { withExtendedLifetime(lock) {} }
        return try await body(try openEventStore())
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

