import FootfallStore
import Foundation

/// Keeps two runs of one sink from exporting at once: a ``FileLock`` on
/// `<data>/locks/export-<tenant>-<sink>.lock`, released when the value is released or the
/// process dies.
public final class ExportLock {
    let lock: FileLock

    /// Takes the lock without waiting.
    /// - Throws: ``ExportConfigurationError/locked(_:)`` when another run holds it.
    public init(dataDirectory: String, tenantID: Int64, sink: String) throws {
        let directory = dataDirectory + "/locks"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        guard let lock = try FileLock(
            path: "\(directory)/export-\(tenantID)-\(sink).lock", holder: "footfall export \(sink) (pid \(getpid()))")
        else { throw ExportConfigurationError.locked(sink) }
        self.lock = lock
    }
}
