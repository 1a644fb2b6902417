import FootfallCore
@testable import FootfallStore
import Foundation
import GRDB
import Testing

/// The audit log is hash-chained: any edit or deletion of one row is found by `verify`.
@Suite struct AuditChainTests {
    let directory: TemporaryDirectory
    let catalog: Catalog

    init() throws {
        directory = try TemporaryDirectory()
        catalog = try Catalog(path: directory.path + "/catalog.sqlite")
    }

    func appendFive() async throws {
        for index in 1...5 {
            try await catalog.audit(tenantID: 1, actor: "cli", action: "site.config", detail: "change \(index)")
        }
    }

    @Test func anUntouchedChainVerifies() async throws {
        try await appendFive()
        #expect(try await catalog.verifyAuditChain() == AuditVerification(checked: 5, firstBroken: nil))
    }

    @Test func alteringOneRowIsFoundAtThatRow() async throws {
        try await appendFive()
        try await catalog.pool.write { db in try db.execute(sql: "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 3") }
        let result = try await catalog.verifyAuditChain()
        #expect(result.checked == 2)
        #expect(result.firstBroken?.id == 3)
        #expect(result.firstBroken?.reason == "entry content does not match its hash")
    }

    @Test func rehashingAnAlteredRowBreaksTheNextLink() async throws {
        try await appendFive()
        try await catalog.pool.write { db in
            let row = try Row.fetchOne(db, sql: "SELECT * FROM audit_log WHERE id = 3")!
            var entry = AuditEntry(row: row)
            entry.detail = "nothing happened"
            let forged = AuditChain.hash(previous: row["prev_hash"], id: 3, entry: entry)
            try db.execute(sql: "UPDATE audit_log SET detail = ?, hash = ? WHERE id = 3", arguments: [entry.detail, forged])
        }
        #expect(try await catalog.verifyAuditChain().firstBroken?.id == 4)
    }

    @Test func deletingOneRowIsFound() async throws {
        try await appendFive()
        try await catalog.pool.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE id = 2") }
        let result = try await catalog.verifyAuditChain()
        #expect(result.firstBroken == AuditBreak(id: 2, reason: "entry missing (next stored entry is 3)"))
    }

    @Test func deletingTheNewestRowsIsFoundByTheSignedHead() async throws {
        try await appendFive()
        try await catalog.pool.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE id >= 4") }
        let result = try await catalog.verifyAuditChain()
        #expect(result == AuditVerification(
            checked: 3, firstBroken: AuditBreak(id: 4, reason: "entries 4–5 missing (the signed head is entry 5)")))

        // Moving the head back to hide the deletion needs the key outside the database.
        try await catalog.pool.write { db in
            let hash: String = try String.fetchOne(db, sql: "SELECT hash FROM audit_log WHERE id = 3")!
            try db.execute(sql: "UPDATE audit_head SET last_id = 3, last_hash = ?", arguments: [hash])
        }
        #expect(try await catalog.verifyAuditChain().firstBroken?.reason == "head signature does not verify")
    }

    @Test func aReopenedCatalogKeepsVerifyingWithTheSameKey() async throws {
        try await appendFive()
        let reopened = try Catalog(path: directory.path + "/catalog.sqlite")
        try await reopened.audit(tenantID: 1, actor: "cli", action: "site.config", detail: "after reopen")
        #expect(try await reopened.verifyAuditChain() == AuditVerification(checked: 6, firstBroken: nil))
    }

    @Test func pruningLeavesASignedCheckpointTheChainContinuesFrom() async throws {
        try await appendFive()
        let cutoff = Timestamp.nowMs() + 1
        #expect(try await catalog.pruneAuditLog(before: cutoff) == 5)
        try await catalog.audit(tenantID: 1, actor: "cli", action: "retention", detail: "after prune")
        #expect(try await catalog.verifyAuditChain() == AuditVerification(checked: 1, firstBroken: nil))
        #expect(try await catalog.auditLog(tenantID: 1).map(\.detail) == ["after prune"])

        // A checkpoint edited to hide the pruned history no longer verifies.
        try await catalog.pool.write { db in try db.execute(sql: "UPDATE audit_checkpoints SET last_id = 3") }
        #expect(try await catalog.verifyAuditChain().firstBroken?.reason == "checkpoint signature does not verify")
    }

    @Test func theCheckpointKeyIsReadableByItsOwnerOnly() throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.path + "/" + AuditKey.fileName)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect((attributes[.size] as? NSNumber)?.intValue == 32)
    }
}
