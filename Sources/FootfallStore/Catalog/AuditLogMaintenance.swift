import FootfallCore
import GRDB

extension Catalog {
    /// Checks every link of the audit chain, the newest checkpoint's signature and the
    /// signed head (see ``AuditChain``).
    public func verifyAuditChain() async throws -> AuditVerification {
        let key = auditKey
        return try await pool.read { db in try AuditChain.verify(db, key: key) }
    }

    /// Deletes audit entries older than `cutoff` (ms since the epoch), leaving a checkpoint
    /// signed with the audit key that the remaining chain continues from.
    /// - Returns: how many entries were deleted.
    @discardableResult
    public func pruneAuditLog(before cutoff: Int64, now: Int64 = Timestamp.nowMs()) async throws -> Int {
        let key = auditKey
        return try await pool.write { db in
            // Entries are appended in time order, so the pruned ones are a prefix of the chain.
            guard let last = try Row.fetchOne(
                db, sql: "SELECT id, hash FROM audit_log WHERE at < ? ORDER BY id DESC LIMIT 1", arguments: [cutoff])
            else { return 0 }
            let lastID: Int64 = last["id"], lastHash: String = last["hash"]
            try db.execute(sql: "DELETE FROM audit_log WHERE id <= ?", arguments: [lastID])
            let pruned = db.changesCount
            try db.execute(
                sql: "INSERT INTO audit_checkpoints (at, last_id, last_hash, pruned, signature) VALUES (?, ?, ?, ?, ?)",
                arguments: [now, lastID, lastHash, pruned,
                            AuditChain.signature(lastID: lastID, lastHash: lastHash, at: now, key: key)])
            return pruned
        }
    }
}
