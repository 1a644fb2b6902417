import FootfallCore
import GRDB

extension Catalog {
    /// Creates an API key and returns its secret text, which is shown once and never stored
    /// (only its SHA-256).
    /// - Parameters:
    ///   - siteIDs: restricts the key to these sites of the tenant; nil for all of them.
    ///   - expiresAt: milliseconds since the epoch after which the key stops working; nil for never.
    public func createAPIKey(
        tenantID: Int64, name: String, scopes: [Scope], siteIDs: [Int64]? = nil, expiresAt: Int64? = nil
    ) async throws -> (secret: String, key: APIKey) {
        let secret = APIKey.generateSecret()
        let prefix = String(secret.prefix(APIKey.marker.count + 4))
        let now = Timestamp.nowMs()
        let id = try await pool.write { db -> Int64 in
            try db.execute(sql: """
                INSERT INTO api_keys (tenant_id, name, prefix, sha256, scopes, created_at, expires_at, site_ids)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [tenantID, name, prefix, APIKey.hash(secret), scopes.map(\.rawValue).joined(separator: ","),
                                 now, expiresAt, siteIDs.map { $0.map(String.init).joined(separator: ",") }])
            return db.lastInsertedRowID
        }
        let key = APIKey(
            id: id, tenantID: tenantID, name: name, prefix: prefix, scopes: scopes, siteIDs: siteIDs,
            createdAt: now, expiresAt: expiresAt)
        return (secret, key)
    }

    /// The key whose secret is `secret`, if it exists and is live (not revoked, not expired) at `now`.
    /// Read from the catalog on every call, so a revocation takes effect on the next request.
    public func apiKey(secret: String, now: Int64 = Timestamp.nowMs()) async throws -> APIKey? {
        let hash = APIKey.hash(secret)
        let key = try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE sha256 = ?", arguments: [hash]).map(Self.apiKey(from:))
        }
        return key.flatMap { $0.isLive(at: now) ? $0 : nil }
    }

    /// A tenant's keys (revoked and expired ones included), by id, after `afterID`.
    public func apiKeys(tenantID: Int64, afterID: Int64 = 0, limit: Int = 1000) async throws -> [APIKey] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?",
                             arguments: [tenantID, afterID, limit]).map(Self.apiKey(from:))
        }
    }

    /// Revokes key `id` of `tenantID`; effective for the next request.
    /// - Parameter allowed: whether the caller may revoke this key (checked in the same
    ///   transaction); a key it rejects is left alone and reported as absent.
    /// - Returns: the revoked key, nil when the tenant has no such key (or `allowed` rejects
    ///   it). Revoking twice keeps the first time.
    public func revokeAPIKey(
        id: Int64, tenantID: Int64, allowed: @escaping @Sendable (APIKey) -> Bool = { _ in true }
    ) async throws -> APIKey? {
        try await pool.write { db in
            guard let existing = try Row.fetchOne(
                db, sql: "SELECT * FROM api_keys WHERE id = ? AND tenant_id = ?", arguments: [id, tenantID]
            ).map(Self.apiKey(from:)), allowed(existing) else { return nil }
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? AND tenant_id = ?",
                arguments: [Timestamp.nowMs(), id, tenantID])
            return try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE id = ? AND tenant_id = ?", arguments: [id, tenantID])
                .map(Self.apiKey(from:))
        }
    }

    /// Records when keys were last used (`keyID` → milliseconds since the epoch); never moves a time back.
    public func recordKeyUse(_ lastUsed: [Int64: Int64]) async throws {
        guard !lastUsed.isEmpty else { return }
        try await pool.write { db in
            for (id, at) in lastUsed {
                try db.execute(
                    sql: "UPDATE api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?", arguments: [at, id])
            }
        }
    }

    static func apiKey(from row: Row) -> APIKey {
        let scopes: String = row["scopes"]
        let sites: String? = row["site_ids"]
        return APIKey(
            id: row["id"], tenantID: row["tenant_id"], name: row["name"], prefix: row["prefix"],
            scopes: scopes.split(separator: ",").compactMap { Scope(rawValue: String($0)) },
            siteIDs: sites.map { $0.split(separator: ",").compactMap { Int64($0) } },
            createdAt: row["created_at"], expiresAt: row["expires_at"], lastUsedAt: row["last_used_at"], revokedAt: row["revoked_at"])
    }
}
