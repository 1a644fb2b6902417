import ArgumentParser
import FootfallCore
import FootfallStore
import Foundation

/// `--data DIR` and `--store`, shared by every command that touches stored data.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (default: $FOOTFALL_DATA or ./footfall-data).")
    var data: String = ProcessInfo.processInfo.environment["FOOTFALL_DATA"] ?? "./footfall-data"

    @Option(name: .long, help: ArgumentHelp(
        "Where events, visits and leads are kept: sqlite (embedded, in --data) or clickhouse://[user[:password]@]host[:port]/database (default: $FOOTFALL_STORE or sqlite).",
        valueName: "store"))
    var store: String = ProcessInfo.processInfo.environment["FOOTFALL_STORE"] ?? "sqlite"

    var directory: DataDirectory { DataDirectory(data) }

    /// The parsed ``store``.
    /// - Throws: a validation error naming what is wrong with it.
    func storeLocation() throws -> StoreLocation {
        do {
            return try StoreLocation(parsing: store)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func validate() throws {
        _ = try storeLocation()
    }

    /// Opens the catalog, creating the data directory on first use.
    func openCatalog() throws -> Catalog {
        try directory.create()
        return try Catalog(path: directory.catalogPath)
    }

    /// Opens the catalog of a data directory that must already hold one: for commands that
    /// read or change what exists, a mistyped `--data` is an error, not a new empty directory.
    func openExistingCatalog() throws -> Catalog {
        guard FileManager.default.fileExists(atPath: directory.catalogPath) else {
            throw ValidationError("no Footfall data in \(data) (no catalog.sqlite): check --data or $FOOTFALL_DATA")
        }
        return try Catalog(path: directory.catalogPath)
    }

    /// Runs `body` on the event store while holding the data directory's writer lock: how a
    /// command that rewrites visits runs, since it must not race a live server's open visits
    /// (``DataDirectory/lockWriter(holder:)``). The lock is released when `body` returns. A
    /// ClickHouse store needs none: its ingest nodes keep no open visits.
    /// - Parameters:
    ///   - command: the command's name, e.g. `retention`.
    ///   - instead: what to do while the server runs.
    /// - Throws: ``WriterLockRefusal`` when a server (or another such command) holds the
    ///   lock; what opening the store or `body` throws.
    func withWriterLock<T>(
        command: String, instead: String, _ body: (any StorageBackend) async throws -> T
    ) async throws -> T {
        var lock: FileLock?
        if try storeLocation().needsSingleWriter {
            do {
                lock = try directory.lockWriter(holder: "footfall \(command)")
            } catch let busy as DataDirectoryBusy {
                throw WriterLockRefusal(busy: busy, command: command, instead: instead)
            }
        }
        defer { withExtendedLifetime(lock) {} }
        return try await body(try await openEventStore())
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

extension Catalog {
    /// The tenant a command names with `--tenant`: `default` always exists (created on first
    /// use); any other must exist already, so a typo is an error listing the tenants, not a
    /// new empty tenant.
    func knownTenant(_ name: String) async throws -> Tenant {
        if name == "default" { return try await tenant(named: name) }
        if let tenant = try await existingTenant(named: name) { return tenant }
        let names = try await tenantNames()
        throw ValidationError("unknown tenant '\(name)'" + (names.isEmpty ? "" : " (tenants: \(names.joined(separator: ", ")))"))
    }

    /// The tenant `name`, created when new (`site create`, `key create`), saying so on stderr.
    func tenantCreatingIfNew(_ name: String) async throws -> Tenant {
        if let tenant = try await existingTenant(named: name) { return tenant }
        let tenant = try await tenant(named: name)
        if name != "default" { FileHandle.standardError.write(Data("created tenant '\(name)'\n".utf8)) }
        return tenant
    }
}
