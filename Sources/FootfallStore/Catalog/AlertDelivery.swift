import Crypto
import FootfallCore
import Foundation
import GRDB

/// Where an alert delivery stands.
public enum AlertDeliveryStatus: String, Sendable, CaseIterable {
    /// Queued, or waiting for its next attempt (`nextAttemptAt`).
    case pending
    /// The receiver answered 2xx.
    case delivered
    /// Refused (4xx other than 408/429) or out of attempts.
    case failed
    /// Its rule was removed before it was delivered.
    case cancelled
}

/// One alert for one lead change: the delivery queue and its log (`footfall alert log`).
///
/// Times are ms since the Unix epoch. `lead` is the lead's JSON as the alert carries it,
/// taken when the rule fired; no secret is ever stored here.
public struct AlertDelivery: Sendable, Equatable {
    /// `dl_` + 32 hex digits, derived from tenant, rule, lead and `change_seq`: the same
    /// change never queues two deliveries, and receivers dedupe on it (`Footfall-Delivery`).
    public var id: String
    public var tenantID: Int64
    public var rule: String
    public var siteID: Int64
    public var leadID: String
    public var changeSeq: Int64
    /// Why the rule fired (``AlertMatch/reason``).
    public var reason: String
    public var lead: String
    public var status: AlertDeliveryStatus
    /// HTTP attempts made so far.
    public var attempts: Int
    /// The receiver's status on the last attempt; nil before one, or when it got no answer.
    public var httpStatus: Int?
    /// Why the last attempt failed (empty when it did not).
    public var lastError: String
    public var createdAt: Int64
    public var updatedAt: Int64
    /// When a pending delivery is due next; nil once it is final.
    public var nextAttemptAt: Int64?

    public init(
        id: String, tenantID: Int64, rule: String, siteID: Int64, leadID: String, changeSeq: Int64, reason: String,
        lead: String, status: AlertDeliveryStatus = .pending, attempts: Int = 0, httpStatus: Int? = nil,
        lastError: String = "", createdAt: Int64, updatedAt: Int64? = nil, nextAttemptAt: Int64? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.rule = rule
        self.siteID = siteID
        self.leadID = leadID
        self.changeSeq = changeSeq
        self.reason = reason
        self.lead = lead
        self.status = status
        self.attempts = attempts
        self.httpStatus = httpStatus
        self.lastError = lastError
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.nextAttemptAt = nextAttemptAt ?? (status == .pending ? createdAt : nil)
    }

    /// The stable delivery id of (`tenantID`, `rule`, `leadID`, `changeSeq`).
    public static func id(tenantID: Int64, rule: String, leadID: String, changeSeq: Int64) -> String {
        "dl_" + SHA256.hash(data: Array("\(tenantID)/\(rule)/\(leadID)/\(changeSeq)".utf8)).prefix(16).hexEncoded
    }

    static let insertSQL = """
        INSERT OR IGNORE INTO alert_deliveries (
            id, tenant_id, rule, site_id, lead_id, change_seq, reason, lead, status, attempts, http_status,
            last_error, created_at, updated_at, next_attempt_at
        ) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
        """

    var arguments: StatementArguments {
        [id, tenantID, rule, siteID, leadID, changeSeq, reason, lead, status.rawValue, attempts, httpStatus,
         lastError, createdAt, updatedAt, nextAttemptAt]
    }

    init(row: Row) {
        self.init(
            id: row["id"], tenantID: row["tenant_id"], rule: row["rule"], siteID: row["site_id"], leadID: row["lead_id"],
            changeSeq: row["change_seq"], reason: row["reason"], lead: row["lead"],
            status: AlertDeliveryStatus(rawValue: row["status"]) ?? .failed, attempts: row["attempts"],
            httpStatus: row["http_status"], lastError: row["last_error"], createdAt: row["created_at"],
            updatedAt: row["updated_at"], nextAttemptAt: row["next_attempt_at"])
    }
}

/// The outcome of one delivery attempt, as the log keeps it.
public struct AlertAttempt: Sendable, Equatable {
    /// The receiver's HTTP status, nil when it could not be reached.
    public var httpStatus: Int?
    /// Empty when delivered; else the reason, never containing a secret.
    public var error: String
    /// When to try again (ms since the epoch); nil when the delivery is final.
    public var retryAt: Int64?

    public init(httpStatus: Int?, error: String = "", retryAt: Int64? = nil) {
        self.httpStatus = httpStatus
        self.error = error
        self.retryAt = retryAt
    }

    /// Whether the receiver accepted the alert (2xx).
    public var delivered: Bool { httpStatus.map { (200...299).contains($0) } ?? false }
}

extension Catalog {
    /// Pending deliveries due at `now`, oldest first, at most `limit`.
    public func dueAlertDeliveries(now: Int64, limit: Int) async throws -> [AlertDelivery] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM alert_deliveries WHERE status = ? AND next_attempt_at <= ?
                ORDER BY next_attempt_at, created_at LIMIT ?
                """, arguments: [AlertDeliveryStatus.pending.rawValue, now, limit]).map(AlertDelivery.init(row:))
        }
    }

    /// Records one attempt at delivery `id`: delivered on 2xx, pending again at `retryAt`, else failed.
    public func recordAlertAttempt(id: String, _ attempt: AlertAttempt, at now: Int64) async throws {
        let status: AlertDeliveryStatus = attempt.delivered ? .delivered : (attempt.retryAt == nil ? .failed : .pending)
        try await pool.write { db in
            try db.execute(sql: """
                UPDATE alert_deliveries SET status = ?, attempts = attempts + 1, http_status = ?, last_error = ?,
                    updated_at = ?, next_attempt_at = ?
                WHERE id = ? AND status = ?
                """, arguments: [status.rawValue, attempt.httpStatus, attempt.error, now,
                                 status == .pending ? attempt.retryAt : nil, id, AlertDeliveryStatus.pending.rawValue])
        }
    }

    /// The tenant's delivery log, newest first: all rules or one, at most `limit` rows.
    public func alertDeliveries(tenantID: Int64, rule: String? = nil, limit: Int) async throws -> [AlertDelivery] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM alert_deliveries WHERE tenant_id = ? AND (?2 IS NULL OR rule = ?2)
                ORDER BY created_at DESC, id DESC LIMIT ?3
                """, arguments: [tenantID, rule, limit]).map(AlertDelivery.init(row:))
        }
    }

    /// Removes final deliveries last updated before `before` (the log's retention).
    /// - Returns: how many were removed.
    @discardableResult
    public func pruneAlertDeliveries(before: Int64) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM alert_deliveries WHERE status != ? AND updated_at < ?",
                           arguments: [AlertDeliveryStatus.pending.rawValue, before])
            return db.changesCount
        }
    }

    /// Forgets what alerting holds about leads an erasure emptied: their deliveries (pending
    /// ones are not sent; each holds the lead as JSON) and their last seen states.
    /// - Returns: how many deliveries were removed.
    @discardableResult
    public func forgetAlerts(leadIDs: [String]) async throws -> Int {
        guard !leadIDs.isEmpty else { return 0 }
        return try await pool.write { db in
            var removed = 0
            for id in leadIDs {
                try db.execute(sql: "DELETE FROM alert_deliveries WHERE lead_id = ?", arguments: [id])
                removed += db.changesCount
                try db.execute(sql: "DELETE FROM alert_lead_snapshots WHERE lead_id = ?", arguments: [id])
            }
            return removed
        }
    }
}
