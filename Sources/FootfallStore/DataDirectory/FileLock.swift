import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock(2)` on a file, taken without waiting and held while the value lives.
/// The kernel drops it with the descriptor, so a killed process never leaves a stale lock.
/// The holder writes a line naming itself into the file, for the message others get.
public final class FileLock: Sendable {
    let descriptor: Int32

    /// Takes the lock on `path` (created with mode 0600 when missing).
    /// - Parameter holder: who holds it, e.g. `footfall serve (pid 4242)`, written into the file.
    /// - Returns: nil when another descriptor holds the lock (this process's included).
    /// - Throws: `CocoaError.fileWriteNoPermission` when the file cannot be opened.
    public init?(path: String, holder: String) throws {
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        let line = Array((holder + "\n").utf8)
        if ftruncate(descriptor, 0) == 0 { _ = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) } }
    }

    /// The holder line of the lock file at `path`, empty when unreadable.
    public static func holder(at path: String) -> String {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
