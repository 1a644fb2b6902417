import FootfallCore
import Foundation
import GRDB

/// A tenant's optional monthly limits; nil means unlimited.
public struct TenantQuota: Sendable, Equatable {
    /// Authenticated `/api/v1` requests per calendar month (UTC).
    public var apiCallsPerMonth: Int?
    /// Distinct visitor ids tracked per calendar month (UTC) over all the tenant's sites.
    public var visitorsPerMonth: Int?

    public init(apiCallsPerMonth: Int? = nil, visitorsPerMonth: Int? = nil) {
        self.apiCallsPerMonth = apiCallsPerMonth
        self.visitorsPerMonth = visitorsPerMonth
    }
}

/// Calendar months (UTC) as `YYYY-MM`, the key of the usage tables.
public enum UsageMonth {
    /// The month containing `atMs` (milliseconds since the epoch).
    public static func of(_ atMs: Int64) -> String {
        // Integer calendar arithmetic: ingest asks once per event, and Foundation's Calendar
        // and String(format:) took about 5% of the server's CPU under load (perf).
        String(Timestamp.iso8601(atMs).prefix(7))
    }
}

extension Catalog {
    /// Every tenant's quota (tenants without a row are unlimited).
    public func quotas() async throws -> [Int64: TenantQuota] {
        try await pool.read { db in
            var quotas: [Int64: TenantQuota] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM tenant_quotas") {
                quotas[row["tenant_id"]] = TenantQuota(
                    apiCallsPerMonth: row["api_calls_per_month"], visitorsPerMonth: row["visitors_per_month"])
            }
            return quotas
        }
    }

    /// Sets (replaces) a tenant's quota.
    public func setQuota(_ quota: TenantQuota, tenantID: Int64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO tenant_quotas (tenant_id, api_calls_per_month, visitors_per_month) VALUES (?, ?, ?)",
                arguments: [tenantID, quota.apiCallsPerMonth, quota.visitorsPerMonth])
        }
    }

    /// Adds API calls (`tenantID` → count) to `month`'s usage and stores newly seen visitor ids.
    public func addUsage(month: String, apiCalls: [Int64: Int], visitors: [Int64: [Int64]]) async throws {
        guard !apiCalls.isEmpty || !visitors.isEmpty else { return }
        try await pool.write { db in
            for (tenant, count) in apiCalls where count > 0 {
                try db.execute(sql: """
                    INSERT INTO usage_api_calls (tenant_id, month, count) VALUES (?, ?, ?)
                    ON CONFLICT (tenant_id, month) DO UPDATE SET count = count + excluded.count
                    """, arguments: [tenant, month, count])
            }
            let statement = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO usage_visitors (tenant_id, month, visitor_id) VALUES (?, ?, ?)")
            for (tenant, ids) in visitors {
                for id in ids { try statement.execute(arguments: [tenant, month, id]) }
            }
        }
    }

    /// API calls of `month` per tenant.
    public func apiCallUsage(month: String) async throws -> [Int64: Int] {
        try await pool.read { db in
            var usage: [Int64: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT tenant_id, count FROM usage_api_calls WHERE month = ?", arguments: [month]) {
                usage[row["tenant_id"]] = row["count"]
            }
            return usage
        }
    }

    /// Visitor ids tracked in `month` per tenant.
    public func trackedVisitors(month: String) async throws -> [Int64: Set<Int64>] {
        try await pool.read { db in
            var visitors: [Int64: Set<Int64>] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT tenant_id, visitor_id FROM usage_visitors WHERE month = ?", arguments: [month])
            while let row = try rows.next() { visitors[row["tenant_id"], default: []].insert(row["visitor_id"]) }
            return visitors
        }
    }
}
