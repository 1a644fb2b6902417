import FootfallCore
import GRDB

/// A lead change an export target refused (a HubSpot 207 error, a Salesforce per-record
/// error, a Pipedrive 4xx): the checkpoint stays just before it, so the next runs send it
/// again. After ``ExportRefusal/parkAfterRuns`` runs in a row refused it, it is *parked*: the
/// checkpoint moves past it, so one record the target will never take does not stop every
/// later change. A parked lead is sent again when it changes (a new `change_seq`) or on a
/// `--full` run; `footfall sink list` counts parked changes per sink.
public struct ExportRefusal: Sendable, Equatable {
    public var leadID: String
    public var changeSeq: Int64
    /// The target's reason in the latest run.
    public var reason: String
    /// Runs that refused this change, the latest included.
    public var runs: Int

    /// Whether enough runs refused it that the checkpoint passes over it.
    public var parked: Bool { runs >= Self.parkAfterRuns }

    /// Runs that must refuse a change before it is parked: a transient refusal (a locked
    /// row, a brief validation outage) clears within three runs of a cron schedule.
    public static let parkAfterRuns = 3

    public init(leadID: String, changeSeq: Int64, reason: String, runs: Int = 1) {
        self.leadID = leadID
        self.changeSeq = changeSeq
        self.reason = reason
        self.runs = runs
    }
}

extension Catalog {
    /// Counts one more refused run for each of `refused` (at `checkpoint`'s tenant, sink and
    /// site).
    /// - Returns: `refused` with their run counts (``ExportRefusal/parked`` follows from them).
    public func countExportRefusals(_ refused: [ExportRefusal], at checkpoint: ExportCheckpoint) async throws -> [ExportRefusal] {
        try await pool.write { db in
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO export_refusals (tenant_id, sink, site_id, lead_id, change_seq, reason, runs, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 1, ?)
                ON CONFLICT (tenant_id, sink, site_id, change_seq)
                DO UPDATE SET reason = excluded.reason, runs = runs + 1, updated_at = excluded.updated_at
                RETURNING runs
                """)
            return try refused.map { refusal in
                let runs = try Int.fetchOne(upsert, arguments: [
                    checkpoint.tenantID, checkpoint.sink, checkpoint.siteID, refusal.leadID, refusal.changeSeq,
                    refusal.reason, Timestamp.nowMs()]) ?? 1
                return ExportRefusal(leadID: refusal.leadID, changeSeq: refusal.changeSeq, reason: refusal.reason, runs: runs)
            }
        }
    }

    /// The parked changes of a sink (all its sites' checkpoints), oldest change first.
    public func parkedExportRefusals(tenantID: Int64, sink: String) async throws -> [ExportRefusal] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT lead_id, change_seq, reason, runs FROM export_refusals
                WHERE tenant_id = ? AND (sink = ? OR substr(sink, 1, ?) = ?) AND runs >= ? ORDER BY change_seq
                """, arguments: [tenantID, sink, sink.count + 1, sink + "@", ExportRefusal.parkAfterRuns]).map {
                ExportRefusal(leadID: $0["lead_id"], changeSeq: $0["change_seq"], reason: $0["reason"], runs: $0["runs"])
            }
        }
    }
}
