import Crypto
import FootfallCore
import GRDB

/// How far one export sink has delivered a tenant's lead changes: the last `change_seq`
/// the target confirmed. A run exporting one site keeps its own checkpoint (`siteID`),
/// so a site-scoped run never skips other sites' changes for the all-sites run.
public struct ExportCheckpoint: Sendable, Equatable {
    public var tenantID: Int64
    /// The sink's name (a configured sink, or the kind for an unconfigured file sink).
    public var sink: String
    /// The exported site, 0 for all sites of the tenant.
    public var siteID: Int64
    /// Last confirmed `change_seq`; 0 before the first delivery.
    public var changeSeq: Int64

    public init(tenantID: Int64, sink: String, siteID: Int64 = 0, changeSeq: Int64 = 0) {
        self.tenantID = tenantID
        self.sink = sink
        self.siteID = siteID
        self.changeSeq = changeSeq
    }

    /// The checkpoint name of an export by kind (`footfall export webhook --url …`) to
    /// `target` (its URL or output path): the kind, `@`, and the first 16 hex digits of the
    /// target's SHA-256 — two targets never share a checkpoint, and no URL (which may carry a
    /// token) is stored.
    public static func name(kind: String, target: String) -> String {
        kind + "@" + String(SHA256.hash(data: Array(target.utf8)).hexEncoded.prefix(16))
    }
}

extension Catalog {
    /// The stored checkpoint of (`tenantID`, `sink`, `siteID`), at 0 when none was stored yet.
    public func exportCheckpoint(tenantID: Int64, sink: String, siteID: Int64 = 0) async throws -> ExportCheckpoint {
        try await pool.read { db in
            let seq = try Int64.fetchOne(
                db, sql: "SELECT change_seq FROM export_checkpoints WHERE tenant_id = ? AND sink = ? AND site_id = ?",
                arguments: [tenantID, sink, siteID])
            return ExportCheckpoint(tenantID: tenantID, sink: sink, siteID: siteID, changeSeq: seq ?? 0)
        }
    }

    /// Durably stores `checkpoint`; a checkpoint never moves backwards (a `--full` rerun
    /// passes over changes that were already confirmed).
    public func saveExportCheckpoint(_ checkpoint: ExportCheckpoint) async throws {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO export_checkpoints (tenant_id, sink, site_id, change_seq, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, sink, site_id)
                DO UPDATE SET change_seq = max(change_seq, excluded.change_seq), updated_at = excluded.updated_at
                """, arguments: [checkpoint.tenantID, checkpoint.sink, checkpoint.siteID, checkpoint.changeSeq,
                                 Timestamp.nowMs()])
        }
    }
}
