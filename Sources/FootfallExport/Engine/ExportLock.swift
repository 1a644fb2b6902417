import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Keeps two runs of one sink from exporting at once: an exclusive `flock` on
/// `<data>/locks/export-<tenant>-<sink>.lock`, released when the value is released or the
/// process dies (the kernel drops the lock with the descriptor, so a killed run never
/// leaves a stale lock).
public final class ExportLock {
    let descriptor: Int32

    /// Takes the lock without waiting.
    /// - Throws: ``ExportConfigurationError/locked(_:)`` when another run holds it.
    public init(dataDirectory: String, tenantID: Int64, sink: String) throws {
        let directory = dataDirectory + "/locks"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/export-\(tenantID)-\(sink).lock"
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw ExportConfigurationError.locked(sink)
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
