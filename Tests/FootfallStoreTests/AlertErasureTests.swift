@testable import FootfallStore
import Foundation
import GRDB
import Testing

/// An erasure that empties a lead also removes what alerting holds about it.
@Suite struct AlertErasureTests {
    @Test func forgettingALeadRemovesItsDeliveriesAndStateOnly() async throws {
        let directory = try TemporaryDirectory()
        let catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        try await catalog.pool.write { db in
            for (id, lead) in [("dl_1", "ld_erased"), ("dl_2", "ld_erased"), ("dl_3", "ld_kept")] {
                try db.execute(sql: """
                    INSERT INTO alert_deliveries (id, tenant_id, rule, site_id, lead_id, change_seq, reason, lead, status,
                        attempts, last_error, created_at, updated_at)
                    VALUES (?, 1, 'hot', 1, ?, 1, 'score', '{}', 'pending', 0, '', 0, 0)
                    """, arguments: [id, lead])
                try db.execute(sql: "INSERT OR REPLACE INTO alert_lead_snapshots (lead_id, tenant_id, snapshot) VALUES (?, 1, '{}')",
                               arguments: [lead])
            }
        }
        #expect(try await catalog.forgetAlerts(leadIDs: ["ld_erased"]) == 2)
        let left = try await catalog.pool.read { db in
            (try String.fetchAll(db, sql: "SELECT id FROM alert_deliveries ORDER BY id"),
             try String.fetchAll(db, sql: "SELECT lead_id FROM alert_lead_snapshots"))
        }
        #expect(left.0 == ["dl_3"] && left.1 == ["ld_kept"])
    }
}
