import FootfallCore
import Foundation
import GRDB

/// A tenant's lead alert (`footfall alert add`): when ``trigger`` fires for a lead of
/// ``siteID``, the server delivers an alert to the rule's channel.
///
/// `settings` are the channel's options: `url` (webhook receiver), `secret_env` /
/// `secret_file` (webhook signing key), `slack_url_env` / `slack_url_file` (the Slack
/// incoming-webhook URL, itself a secret). Secrets never appear here: only the name of the
/// environment variable or the path of the 0600 file that holds them, read at delivery time.
public struct AlertRule: Sendable, Equatable {
    public var tenantID: Int64
    /// Unique per tenant, 1–64 of `a-z 0-9 _ -`.
    public var name: String
    public var siteID: Int64
    public var trigger: AlertTrigger
    /// `webhook` or `slack`.
    public var channel: String
    public var settings: [String: String]

    public init(tenantID: Int64, name: String, siteID: Int64, trigger: AlertTrigger, channel: String, settings: [String: String] = [:]) {
        self.tenantID = tenantID
        self.name = name
        self.siteID = siteID
        self.trigger = trigger
        self.channel = channel
        self.settings = settings
    }
}

extension Catalog {
    /// Adds or replaces the alert `rule.name` of its tenant.
    /// - Throws: ``CatalogError/invalidAlertName(_:)`` for a name outside `[a-z0-9_-]{1,64}`.
    public func saveAlertRule(_ rule: AlertRule) async throws {
        guard ExportSink.isValidName(rule.name) else { throw CatalogError.invalidAlertName(rule.name) }
        let settings = String(decoding: try JSONEncoder().encode(rule.settings), as: UTF8.self)
        try await pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO alert_rules
                    (tenant_id, name, site_id, trigger_kind, trigger_parameter, channel, settings, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [rule.tenantID, rule.name, rule.siteID, rule.trigger.kind, rule.trigger.parameter,
                                 rule.channel, settings, Timestamp.nowMs()])
        }
    }

    /// The tenant's alert rules by name, or every tenant's when `tenantID` is nil.
    public func alertRules(tenantID: Int64? = nil) async throws -> [AlertRule] {
        try await pool.read { db in
            let rows = if let tenantID {
                try Row.fetchAll(db, sql: "SELECT * FROM alert_rules WHERE tenant_id = ? ORDER BY name", arguments: [tenantID])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM alert_rules ORDER BY tenant_id, name")
            }
            return rows.compactMap(Self.alertRule(from:))
        }
    }

    /// The tenant's alert rule called `name`, if any.
    public func alertRule(tenantID: Int64, name: String) async throws -> AlertRule? {
        try await alertRules(tenantID: tenantID).first { $0.name == name }
    }

    /// Removes the alert `name`; its delivery log stays, its queued deliveries are dropped
    /// (marked `cancelled`).
    /// - Throws: ``CatalogError/unknownAlert(_:)`` when the tenant has no such alert.
    public func removeAlertRule(tenantID: Int64, name: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM alert_rules WHERE tenant_id = ? AND name = ?", arguments: [tenantID, name])
            if db.changesCount == 0 { throw CatalogError.unknownAlert(name) }
            try db.execute(sql: """
                UPDATE alert_deliveries SET status = ?, next_attempt_at = NULL, updated_at = ?
                WHERE tenant_id = ? AND rule = ? AND status = ?
                """, arguments: [AlertDeliveryStatus.cancelled.rawValue, Timestamp.nowMs(), tenantID, name,
                                 AlertDeliveryStatus.pending.rawValue])
        }
    }

    /// A stored rule; nil for a trigger this version does not know (skipped, not fatal).
    static func alertRule(from row: Row) -> AlertRule? {
        let settings: String = row["settings"]
        guard let trigger = AlertTrigger(kind: row["trigger_kind"], parameter: row["trigger_parameter"]) else { return nil }
        return AlertRule(
            tenantID: row["tenant_id"], name: row["name"], siteID: row["site_id"], trigger: trigger, channel: row["channel"],
            // Written only by saveAlertRule from a [String: String].
            settings: (try? JSONDecoder().decode([String: String].self, from: Data(settings.utf8))) ?? [:])
    }
}
