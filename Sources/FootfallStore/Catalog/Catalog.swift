import FootfallCore
import Foundation
import GRDB

/// Tenants, sites, API keys, the audit log and the daily visitor salts (`catalog.sqlite`).
public final class Catalog: Sendable {
    let pool: DatabasePool
    /// Signs audit checkpoints and the audit chain's head (``AuditKey``, beside the catalog).
    let auditKey: AuditKey

    /// Opens (creating and migrating if needed) the catalog at `path`, and the audit key
    /// beside it (created, mode 0600, on first use).
    /// - Throws: GRDB's errors for an unreadable or corrupt database; a file error when the
    ///   audit key cannot be created.
    public init(path: String) throws {
        pool = try SQLiteDatabase.openPool(path: path, secureDelete: true)
        auditKey = try AuditKey.load(path: (path as NSString).deletingLastPathComponent + "/" + AuditKey.fileName)
        try CatalogSchema.migrator.migrate(pool)
        let key = auditKey
        try pool.write { db in try AuditChain.signHeadIfMissing(db, key: key) }
    }

    // MARK: Tenants

    /// The tenant called `name`, created if it does not exist yet.
    public func tenant(named name: String) async throws -> Tenant {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO tenants (name, created_at) VALUES (?, ?)",
                arguments: [name, Timestamp.nowMs()])
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM tenants WHERE name = ?", arguments: [name])!
            return Tenant(id: id, name: name)
        }
    }

    /// The tenant called `name`, nil when there is none (nothing is created).
    public func existingTenant(named name: String) async throws -> Tenant? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM tenants WHERE name = ?", arguments: [name]).map { Tenant(id: $0, name: name) }
        }
    }

    /// Every tenant's name, alphabetically.
    public func tenantNames() async throws -> [String] {
        try await pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM tenants ORDER BY name") }
    }

    // MARK: Sites

    /// Creates a site with a fresh random key.
    /// - Parameters:
    ///   - tenantID: the owning tenant.
    ///   - name: display name, 1–100 characters.
    ///   - domains: the site's own host names (for internal-referrer detection).
    public func createSite(tenantID: Int64, name: String, domains: [String]) async throws -> Site {
        guard (1...100).contains(name.count) else { throw CatalogError.invalidSiteName }
        let normalized = try domains.map(Self.normalizedDomain)
        let key = Self.randomSiteKey()
        let id = try await pool.write { db -> Int64 in
            try db.execute(sql: """
                INSERT INTO sites (tenant_id, key, name, domains, ip_policy, honour_dnt, created_at)
                VALUES (?, ?, ?, ?, ?, 1, ?)
                """, arguments: [tenantID, key, name, normalized.joined(separator: ","),
                                 IPPolicy.truncate.rawValue, Timestamp.nowMs()])
            return db.lastInsertedRowID
        }
        return Site(id: id, tenantID: tenantID, key: key, name: name, domains: normalized)
    }

    /// All sites, or those of one tenant, oldest first.
    public func sites(tenantID: Int64? = nil) async throws -> [Site] {
        try await pool.read { db in
            let rows = if let tenantID {
                try Row.fetchAll(db, sql: "SELECT * FROM sites WHERE tenant_id = ? ORDER BY id", arguments: [tenantID])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM sites ORDER BY id")
            }
            return rows.map(Self.site(from:))
        }
    }

    /// The site with public key `key`, if any.
    public func site(key: String) async throws -> Site? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sites WHERE key = ?", arguments: [key]).map(Self.site(from:))
        }
    }

    /// The site with id `id`, if any.
    public func site(id: Int64) async throws -> Site? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sites WHERE id = ?", arguments: [id]).map(Self.site(from:))
        }
    }

    /// Stores a site's changeable settings (IP policy, Do-Not-Track policy, tracker, privacy and lead-scoring settings, shields); the
    /// running server picks them up within ``SiteDirectory``'s refresh interval.
    /// - Throws: ``CatalogError/unknownSite(_:)`` when no site has `site.key`.
    public func updateSettings(of site: Site) async throws {
        let settings = String(decoding: try JSONEncoder().encode(site.tracker), as: UTF8.self)
        let privacy = String(decoding: try JSONEncoder().encode(site.privacy), as: UTF8.self)
        let leadSettings = String(decoding: try JSONEncoder().encode(site.leads), as: UTF8.self)
        let shields = String(decoding: try JSONEncoder().encode(site.shields), as: UTF8.self)
        try await pool.write { db in
            try db.execute(
                sql: """
                    UPDATE sites SET ip_policy = ?, honour_dnt = ?, tracker_settings = ?, privacy_settings = ?,
                    lead_settings = ?, shields = ? WHERE key = ?
                    """,
                arguments: [site.ipPolicy.rawValue, site.honourDoNotTrack, settings, privacy, leadSettings, shields, site.key])
            if db.changesCount == 0 { throw CatalogError.unknownSite(site.key) }
        }
    }

    static func site(from row: Row) -> Site {
        let domains: String = row["domains"]
        let settings: String = row["tracker_settings"]
        let shields: String = row["shields"]
        let privacy: String = row["privacy_settings"]
        let leadSettings: String = row["lead_settings"]
        return Site(
            id: row["id"], tenantID: row["tenant_id"], key: row["key"], name: row["name"],
            domains: domains.split(separator: ",").map(String.init),
            ipPolicy: IPPolicy(rawValue: row["ip_policy"]) ?? .truncate, honourDoNotTrack: row["honour_dnt"],
            // Settings are written only by updateSettings from a valid value; should a row be
            // unreadable anyway, the site keeps working with the defaults.
            tracker: (try? JSONDecoder().decode(TrackerSettings.self, from: Data(settings.utf8))) ?? TrackerSettings(),
            privacy: (try? JSONDecoder().decode(PrivacySettings.self, from: Data(privacy.utf8))) ?? PrivacySettings(),
            leads: (try? JSONDecoder().decode(LeadSettings.self, from: Data(leadSettings.utf8))) ?? LeadSettings(),
            shields: (try? JSONDecoder().decode(Shields.self, from: Data(shields.utf8))) ?? Shields())
    }

    static func normalizedDomain(_ raw: String) throws -> String {
        var domain = raw.lowercased()
        for scheme in ["https://", "http://"] where domain.hasPrefix(scheme) { domain.removeFirst(scheme.count) }
        while domain.hasSuffix("/") { domain.removeLast() }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        guard !domain.isEmpty, domain.count <= 253, domain.allSatisfy(allowed.contains),
              !domain.hasPrefix("."), !domain.hasSuffix(".") else { throw CatalogError.invalidDomain(raw) }
        return domain
    }

    static func randomSiteKey() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return "s_" + String((0..<12).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    // MARK: Daily salts

    /// The visitor-hash salts in use at `timestampMs` (ms since the epoch): that UTC day's,
    /// created on first use, and — during the first `graceMs` after midnight — the previous
    /// day's, so visits running across midnight keep their visitor. Every older salt, and
    /// the previous day's once the grace window is over, is deleted so those visitor ids can
    /// never be recomputed.
    public func visitorSalts(atMs timestampMs: Int64, graceMs: Int64) async throws -> VisitorSalts {
        let day = timestampMs / Timestamp.dayMs
        let inGrace = timestampMs - day * Timestamp.dayMs < graceMs
        let (salts, deleted) = try await pool.write { db -> (VisitorSalts, Bool) in
            try db.execute(sql: "DELETE FROM daily_salts WHERE day < ?", arguments: [inGrace ? day - 1 : day])
            let deleted = db.changesCount > 0
            let previous = try Data.fetchOne(db, sql: "SELECT salt FROM daily_salts WHERE day = ?", arguments: [day - 1])
            if let salt = try Data.fetchOne(db, sql: "SELECT salt FROM daily_salts WHERE day = ?", arguments: [day]) {
                return (VisitorSalts(day: day, current: [UInt8](salt), previous: previous.map { [UInt8]($0) }), deleted)
            }
            var generator = SystemRandomNumberGenerator()
            let salt = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try db.execute(sql: "INSERT INTO daily_salts (day, salt) VALUES (?, ?)", arguments: [day, Data(salt)])
            return (VisitorSalts(day: day, current: salt, previous: previous.map { [UInt8]($0) }), deleted)
        }
        // secure_delete zeroed the row in the new page version; the WAL still holds the old
        // one until it is checkpointed and truncated. Busy readers only postpone this to the
        // next deletion, so a failure is not an ingest error.
        if deleted { _ = try? await pool.writeWithoutTransaction { try $0.checkpoint(.truncate) } }
        return salts
    }
}

/// The salts visitor ids are hashed with at one moment.
public struct VisitorSalts: Sendable, Equatable {
    /// Days since the epoch (UTC) of ``current``.
    public var day: Int64
    public var current: [UInt8]
    /// Yesterday's salt, only during the grace window after midnight.
    public var previous: [UInt8]?
}
