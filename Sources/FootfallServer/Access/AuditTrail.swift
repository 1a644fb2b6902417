import FootfallCore
import FootfallStore
import ServiceLifecycle
import Synchronization

/// API requests waiting to be written to the catalog's audit log, off the request path:
/// ``AuditFlusher`` appends them in one transaction about every 250 ms, and records each
/// key's `last_used_at` at the same time.
final class AuditTrail: Sendable {
    private struct Pending {
        var entries: [AuditEntry] = []
        var lastUsed: [Int64: Int64] = [:]
    }

    private let pending = Mutex(Pending())

    /// Queues one request's audit row.
    func record(_ entry: AuditEntry) {
        pending.withLock { pending in
            pending.entries.append(entry)
            if let key = entry.keyID { pending.lastUsed[key] = max(pending.lastUsed[key] ?? 0, entry.at) }
        }
    }

    /// Writes everything queued, keeping it for the next attempt when the write fails.
    func flush(to catalog: Catalog) async throws {
        let taken = pending.withLock { pending in
            defer { pending = Pending() }
            return pending
        }
        guard !taken.entries.isEmpty else { return }
        do {
            // Key use first: repeating it after a failed append is harmless (it keeps the maximum).
            try await catalog.recordKeyUse(taken.lastUsed)
            try await catalog.appendAudit(taken.entries)
        } catch {
            pending.withLock { pending in
                pending.entries.insert(contentsOf: taken.entries, at: 0)
                pending.lastUsed.merge(taken.lastUsed, uniquingKeysWith: max)
            }
            throw error
        }
    }
}

/// Flushes the ``AuditTrail`` every 250 ms, and once more on shutdown.
struct AuditFlusher: Service {
    let trail: AuditTrail
    let catalog: Catalog

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: .milliseconds(250))
                try? await trail.flush(to: catalog)
            }
        }
        try await trail.flush(to: catalog)
    }
}
