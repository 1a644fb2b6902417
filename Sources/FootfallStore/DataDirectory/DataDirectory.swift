import Foundation

/// A data directory (`--data`, `$FOOTFALL_DATA`, default `./footfall-data`) and the names of
/// the files Footfall keeps in it: the one place that knows them.
///
/// - `catalog.sqlite`: tenants, sites, keys, audit log (``Catalog``).
/// - `events.sqlite`: events, visits, segments and leads (``SQLiteEventStore``).
/// - `leads.sqlite`: the leads of a ClickHouse store (``ClickHouseEventStore``).
/// - `footfall.lock`: the writer lock (``lockWriter(holder:)``).
/// IP data (`ipdata/`), places (`places.tsv`) and export locks (`locks/`) belong to the
/// modules that read them.
public struct DataDirectory: Sendable, Equatable {
    public let path: String

    public init(_ path: String) {
        self.path = path
    }

    public var catalogPath: String { path + "/catalog.sqlite" }
    public var eventsPath: String { path + "/events.sqlite" }
    public var leadsPath: String { path + "/leads.sqlite" }
    public var writerLockPath: String { path + "/footfall.lock" }

    /// Creates the directory (and its parents) when missing.
    public func create() throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Takes the writer lock without waiting. `footfall serve` holds it while it runs, and so
    /// does CLI maintenance that rewrites visits (compact, retention, rebuild-visits, erase):
    /// the server keeps open visits in memory, and a second writer of visits under it would
    /// be undone or duplicated by its next commit.
    /// - Parameter holder: who takes it, e.g. `footfall retention`; the process id is added.
    /// - Throws: ``DataDirectoryBusy`` naming the current holder; file errors.
    public func lockWriter(holder: String) throws -> FileLock {
        try create()
        guard let lock = try FileLock(path: writerLockPath, holder: "\(holder) (pid \(getpid()))") else {
            throw DataDirectoryBusy(directory: path, holder: FileLock.holder(at: writerLockPath))
        }
        return lock
    }
}

/// The writer lock of a data directory is held by another process (or another part of this one).
public struct DataDirectoryBusy: Error, CustomStringConvertible, Equatable {
    public let directory: String
    /// The holder's own line, e.g. `footfall serve (pid 4242)`; empty when unreadable.
    public let holder: String

    public var description: String {
        "\(directory) is in use by \(holder.isEmpty ? "another footfall process" : holder)"
    }
}
