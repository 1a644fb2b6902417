import FootfallCore
import Foundation
import GRDB

/// How far the server's alert service has followed each tenant's lead change feed, and the
/// state it saw last of every lead (what the next change is compared with).
///
/// On the very first run the service reads every tenant's feed without alerting (the
/// baseline), so that existing leads do not all alert at once; ``isAlertBaselineComplete()``
/// says whether that happened.
extension Catalog {
    /// The last `change_seq` of `tenantID` the alert service processed, 0 before the first.
    public func alertFeedCheckpoint(tenantID: Int64) async throws -> Int64 {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT change_seq FROM alert_feed_checkpoints WHERE tenant_id = ?",
                               arguments: [tenantID]) ?? 0
        }
    }

    /// Whether the first run's baseline pass over every tenant's feed was completed.
    public func isAlertBaselineComplete() async throws -> Bool {
        try await pool.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM alert_feed_baseline WHERE id = 1") ?? false }
    }

    /// Marks the baseline pass complete: from now on every change may alert.
    public func completeAlertBaseline() async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO alert_feed_baseline (id, completed_at) VALUES (1, ?)",
                           arguments: [Timestamp.nowMs()])
        }
    }

    /// The last states the alert service saw of `leadIDs` (those it never saw are absent).
    public func alertLeadSnapshots(leadIDs: [String]) async throws -> [String: LeadSnapshot] {
        try await pool.read { db in
            var snapshots: [String: LeadSnapshot] = [:]
            let statement = try db.cachedStatement(sql: "SELECT snapshot FROM alert_lead_snapshots WHERE lead_id = ?")
            for leadID in leadIDs {
                guard let text = try String.fetchOne(statement, arguments: [leadID]) else { continue }
                snapshots[leadID] = try JSONDecoder().decode(LeadSnapshot.self, from: Data(text.utf8))
            }
            return snapshots
        }
    }

    /// In one transaction: queues `deliveries` (a delivery already queued is kept as it is),
    /// stores the leads' new `snapshots` and moves the tenant's checkpoint to `through`.
    /// A crash before the commit leaves all three as they were, so the page is read again.
    public func advanceAlertFeed(
        tenantID: Int64, through changeSeq: Int64, snapshots: [String: LeadSnapshot], deliveries: [AlertDelivery]
    ) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let encoded = try snapshots.mapValues { String(decoding: try encoder.encode($0), as: UTF8.self) }
        try await pool.write { db in
            let insert = try db.cachedStatement(sql: AlertDelivery.insertSQL)
            for delivery in deliveries { try insert.execute(arguments: delivery.arguments) }
            let store = try db.cachedStatement(
                sql: "INSERT OR REPLACE INTO alert_lead_snapshots (lead_id, tenant_id, snapshot) VALUES (?, ?, ?)")
            for (leadID, snapshot) in encoded { try store.execute(arguments: [leadID, tenantID, snapshot]) }
            try db.execute(sql: """
                INSERT INTO alert_feed_checkpoints (tenant_id, change_seq, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (tenant_id) DO UPDATE SET change_seq = max(change_seq, excluded.change_seq),
                    updated_at = excluded.updated_at
                """, arguments: [tenantID, changeSeq, Timestamp.nowMs()])
        }
    }
}
