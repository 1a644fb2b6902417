import Crypto
import FootfallCore
import Foundation
import GRDB

/// The audit log is tamper-evident: every row stores `hash = SHA-256(previous hash ‖
/// canonical row)`, so altering or deleting a row breaks the link to the next one.
///
/// Pruning old rows (``Catalog/pruneAuditLog(before:key:)``) leaves a checkpoint holding
/// the last pruned row's id and hash, signed with HMAC-SHA-256 under a key that lives
/// outside the database (``AuditKey``); the chain then continues from the checkpoint.
enum AuditChain {
    /// The `previous hash` of the very first row: 64 zeros.
    static let genesis = String(repeating: "0", count: 64)

    /// Inserts `entry` chained to the newest row (or checkpoint); returns its id.
    /// Must run inside the write transaction, so no other row slips in between.
    @discardableResult
    static func append(_ entry: AuditEntry, _ db: Database) throws -> Int64 {
        let previous = try headHash(db)
        // Ids continue after pruned entries, so a checkpoint's successor is `last_id + 1`.
        let newest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM audit_log")
            ?? Int64.fetchOne(db, sql: "SELECT MAX(last_id) FROM audit_checkpoints") ?? 0
        let id = newest + 1
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (id, at, tenant_id, actor, action, detail, key_id, route, target, status, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                id, entry.at, entry.tenantID, entry.actor, entry.action, entry.detail, entry.keyID, entry.route,
                entry.target, entry.status, previous, hash(previous: previous, id: id, entry: entry),
            ])
        return id
    }

    /// Hash of the newest row, else of the newest checkpoint, else ``genesis``.
    static func headHash(_ db: Database) throws -> String {
        if let hash = try String.fetchOne(db, sql: "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1") { return hash }
        return try String.fetchOne(db, sql: "SELECT last_hash FROM audit_checkpoints ORDER BY id DESC LIMIT 1") ?? genesis
    }

    /// `SHA-256(previous ‖ canonical row)` in hex. The canonical row is each field as
    /// `<UTF-8 byte count>:<value>\n`, so no two rows share one text.
    static func hash(previous: String, id: Int64, entry: AuditEntry) -> String {
        let fields = [
            String(id), String(entry.at), entry.tenantID.map(String.init) ?? "", entry.actor, entry.action, entry.detail,
            entry.keyID.map(String.init) ?? "", entry.route, entry.target, entry.status.map(String.init) ?? "",
        ]
        var canonical = previous
        for field in fields { canonical += "\(field.utf8.count):\(field)\n" }
        return SHA256.hash(data: Array(canonical.utf8)).hexEncoded
    }

    /// Fills `prev_hash` / `hash` of rows written before the chain existed (migration).
    static func chainExisting(_ db: Database) throws {
        var previous = genesis
        for row in try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY id") {
            let id: Int64 = row["id"]
            let hash = hash(previous: previous, id: id, entry: AuditEntry(row: row))
            try db.execute(sql: "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", arguments: [previous, hash, id])
            previous = hash
        }
    }

    /// Walks the chain from the newest checkpoint (whose signature must verify under `key`)
    /// to the newest row.
    static func verify(_ db: Database, key: AuditKey) throws -> AuditVerification {
        var previous = genesis
        var expectedID: Int64 = 1
        if let checkpoint = try Row.fetchOne(db, sql: "SELECT * FROM audit_checkpoints ORDER BY id DESC LIMIT 1") {
            let lastID: Int64 = checkpoint["last_id"], lastHash: String = checkpoint["last_hash"], at: Int64 = checkpoint["at"]
            guard (checkpoint["signature"] as String) == signature(lastID: lastID, lastHash: lastHash, at: at, key: key) else {
                return AuditVerification(checked: 0, firstBroken: AuditBreak(id: lastID, reason: "checkpoint signature does not verify"))
            }
            previous = lastHash
            expectedID = lastID + 1
        }
        var checked = 0
        for row in try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY id") {
            let id: Int64 = row["id"]
            if id != expectedID {
                return AuditVerification(checked: checked, firstBroken: AuditBreak(id: expectedID, reason: "entry missing (next stored entry is \(id))"))
            }
            if (row["prev_hash"] as String) != previous {
                return AuditVerification(checked: checked, firstBroken: AuditBreak(id: id, reason: "previous-hash link does not match entry \(id - 1)"))
            }
            let hash = hash(previous: previous, id: id, entry: AuditEntry(row: row))
            if (row["hash"] as String) != hash {
                return AuditVerification(checked: checked, firstBroken: AuditBreak(id: id, reason: "entry content does not match its hash"))
            }
            previous = hash
            expectedID = id + 1
            checked += 1
        }
        return AuditVerification(checked: checked, firstBroken: nil)
    }

    /// HMAC-SHA-256 over `last_id|last_hash|at`, in hex.
    static func signature(lastID: Int64, lastHash: String, at: Int64, key: AuditKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Array("\(lastID)|\(lastHash)|\(at)".utf8), using: key.key)).hexEncoded
    }
}

/// What `footfall audit verify` found.
public struct AuditVerification: Sendable, Equatable {
    /// Entries whose link and hash were checked and found intact.
    public var checked: Int
    /// The first broken link; nil when the whole chain verifies.
    public var firstBroken: AuditBreak?
}

/// Where the audit chain breaks.
public struct AuditBreak: Sendable, Equatable, CustomStringConvertible {
    /// The entry (or checkpoint's last entry) at which verification failed.
    public var id: Int64
    public var reason: String

    public var description: String { "entry \(id): \(reason)" }
}

/// The HMAC key signing audit checkpoints: 32 random bytes in a file readable by its owner
/// only (mode 0600) beside the catalog, so whoever edits the database alone cannot forge one.
public struct AuditKey: Sendable {
    /// File name inside the data directory.
    public static let fileName = "audit-checkpoint.key"

    let bytes: [UInt8]
    var key: SymmetricKey { SymmetricKey(data: bytes) }

    /// Reads the key at `path`, creating it (mode 0600) on first use.
    public static func load(path: String) throws -> AuditKey {
        if let data = FileManager.default.contents(atPath: path), data.count == 32 { return AuditKey(bytes: [UInt8](data)) }
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { [UInt8]($0) }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return AuditKey(bytes: bytes)
    }
}

extension AuditEntry {
    /// An entry read back from an `audit_log` row.
    init(row: Row) {
        self.init(
            id: row["id"], at: row["at"], tenantID: row["tenant_id"], actor: row["actor"], action: row["action"],
            detail: row["detail"], keyID: row["key_id"], route: row["route"], target: row["target"], status: row["status"])
    }
}
