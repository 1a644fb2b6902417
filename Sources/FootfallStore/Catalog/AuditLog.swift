import FootfallCore
import GRDB

/// One audit log entry: an admin action (CLI, dashboard sign-in) or one API request.
/// Never holds a secret: keys appear by id and prefix only.
public struct AuditEntry: Sendable, Equatable {
    public var id: Int64
    /// Milliseconds since the epoch.
    public var at: Int64
    public var tenantID: Int64?
    /// Who acted: `cli`, `key ff_live_AbCd…`, `serve --demo`.
    public var actor: String
    /// What was done, e.g. `site.create`, `leads.read`, `keys.revoke`.
    public var action: String
    /// Free text for CLI actions; empty for API requests.
    public var detail: String
    /// The API key that made the request; nil for CLI actions.
    public var keyID: Int64?
    /// Route template of an API request, e.g. `/api/v1/sites/{key}`; empty otherwise.
    public var route: String
    /// What the request was about: a site key, key id or lead id; empty when none.
    public var target: String
    /// HTTP status of an API request; nil for CLI actions.
    public var status: Int?

    public init(
        id: Int64 = 0, at: Int64, tenantID: Int64?, actor: String, action: String, detail: String = "",
        keyID: Int64? = nil, route: String = "", target: String = "", status: Int? = nil
    ) {
        self.id = id
        self.at = at
        self.tenantID = tenantID
        self.actor = actor
        self.action = action
        self.detail = detail
        self.keyID = keyID
        self.route = route
        self.target = target
        self.status = status
    }
}

extension Catalog {
    /// Appends an entry to the audit log now. `detail` must never contain a secret.
    public func audit(tenantID: Int64?, actor: String, action: String, detail: String) async throws {
        try await appendAudit([AuditEntry(at: Timestamp.nowMs(), tenantID: tenantID, actor: actor, action: action, detail: detail)])
    }

    /// Appends entries (their `id` is ignored) in one transaction, each hash-chained to the
    /// previous one (``AuditChain``). This is the only writer of audit rows.
    public func appendAudit(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        let key = auditKey
        try await pool.write { db in
            for entry in entries { try AuditChain.append(entry, db) }
            try AuditChain.signHead(db, key: key)
        }
    }

    /// A tenant's audit entries, newest first, older than entry `beforeID` when given.
    public func auditLog(tenantID: Int64, beforeID: Int64? = nil, limit: Int = 100) async throws -> [AuditEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit_log WHERE tenant_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                arguments: [tenantID, beforeID ?? .max, limit]
            ).map {
                AuditEntry(
                    id: $0["id"], at: $0["at"], tenantID: $0["tenant_id"], actor: $0["actor"], action: $0["action"],
                    detail: $0["detail"], keyID: $0["key_id"], route: $0["route"], target: $0["target"], status: $0["status"])
            }
        }
    }
}
