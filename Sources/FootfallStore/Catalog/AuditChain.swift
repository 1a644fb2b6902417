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
///
/// Deleting the newest rows leaves no broken link, so every append also re-signs the
/// chain's head (`audit_head`: the newest id and hash, HMAC under the same key): a chain
/// that ends before its signed head has lost entries.
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
        return try verifyHead(db, key: key, checked: checked)
    }

    /// The newest entry's id and hash: the newest row, else the newest checkpoint's last
    /// entry; nil for an empty log.
    static func head(_ db: Database) throws -> (id: Int64, hash: String)? {
        if let row = try Row.fetchOne(db, sql: "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1") {
            return (row["id"], row["hash"])
        }
        return try Row.fetchOne(db, sql: "SELECT last_id, last_hash FROM audit_checkpoints ORDER BY id DESC LIMIT 1")
            .map { ($0["last_id"], $0["last_hash"]) }
    }

    /// Records the chain's current head, signed. Runs in the transaction that appended.
    static func signHead(_ db: Database, key: AuditKey) throws {
        guard let (id, hash) = try head(db) else { return }
        try db.execute(
            sql: "INSERT OR REPLACE INTO audit_head (id, last_id, last_hash, signature) VALUES (1, ?, ?, ?)",
            arguments: [id, hash, headSignature(lastID: id, lastHash: hash, key: key)])
    }

    /// Signs the head of a log written before heads were signed (trust on first use).
    static func signHeadIfMissing(_ db: Database, key: AuditKey) throws {
        guard try Row.fetchOne(db, sql: "SELECT 1 FROM audit_head") == nil else { return }
        try signHead(db, key: key)
    }

    /// Checks the stored chain ends exactly at the signed head.
    static func verifyHead(_ db: Database, key: AuditKey, checked: Int) throws -> AuditVerification {
        let current = try head(db)
        guard let signed = try Row.fetchOne(db, sql: "SELECT * FROM audit_head WHERE id = 1") else {
            guard let current else { return AuditVerification(checked: checked, firstBroken: nil) }
            return AuditVerification(checked: checked, firstBroken: AuditBreak(id: current.id, reason: "signed head missing"))
        }
        let lastID: Int64 = signed["last_id"], lastHash: String = signed["last_hash"]
        guard (signed["signature"] as String) == headSignature(lastID: lastID, lastHash: lastHash, key: key) else {
            return AuditVerification(checked: checked, firstBroken: AuditBreak(id: lastID, reason: "head signature does not verify"))
        }
        guard let current, current.id >= lastID else {
            let first = (current?.id ?? 0) + 1
            return AuditVerification(checked: checked, firstBroken: AuditBreak(
                id: first, reason: "entries \(first)–\(lastID) missing (the signed head is entry \(lastID))"))
        }
        guard current.id == lastID, current.hash == lastHash else {
            return AuditVerification(checked: checked, firstBroken: AuditBreak(
                id: lastID + 1, reason: "entries after the signed head (entry \(lastID)) were not written by Footfall"))
        }
        return AuditVerification(checked: checked, firstBroken: nil)
    }

    /// HMAC-SHA-256 over `head|last_id|last_hash`, in hex (distinct from checkpoint signatures).
    static func headSignature(lastID: Int64, lastHash: String, key: AuditKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Array("head|\(lastID)|\(lastHash)".utf8), using: key.key)).hexEncoded
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

    /// Reads the key at `path`, creating it (mode 0600) on first use. Two processes opening
    /// a new data directory at once agree on one key: it is written to a temporary file and
    /// hard-linked into place, which fails when another process linked first.
    /// - Throws: a file error when the key can be neither read nor created, or when the file
    ///   exists but is not 32 bytes (a damaged key must not be silently replaced).
    public static func load(path: String) throws -> AuditKey {
        if !FileManager.default.fileExists(atPath: path) {
            let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { [UInt8]($0) }
            let temporary = path + ".\(getpid()).tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
            }
            let linked = link(temporary, path) == 0
            unlink(temporary)
            if linked { return AuditKey(bytes: bytes) }
        }
        guard let data = FileManager.default.contents(atPath: path), data.count == 32 else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        }
        return AuditKey(bytes: [UInt8](data))
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
