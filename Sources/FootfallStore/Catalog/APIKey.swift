import Crypto
import FootfallCore

/// What an API key may do. Every Lead API route names the scope it needs.
public enum Scope: String, Sendable, CaseIterable, Codable {
    case leadsRead = "leads:read"
    case statsRead = "stats:read"
    case exportRun = "export:run"
    case sitesAdmin = "sites:admin"
    case privacyAdmin = "privacy:admin"

    /// Parses a comma-separated scope list such as `leads:read,stats:read`.
    /// - Throws: ``CatalogError/unknownScope(_:)`` for a name that is not a scope.
    public static func parseList(_ text: String) throws -> [Scope] {
        try text.split(separator: ",").map { name in
            let trimmed = name.trimmingCharacters(in: " ")
            guard let scope = Scope(rawValue: trimmed) else { throw CatalogError.unknownScope(trimmed) }
            return scope
        }
    }
}

/// A stored API key. The secret itself is never stored: only its SHA-256.
public struct APIKey: Sendable, Equatable {
    public var id: Int64
    public var tenantID: Int64
    public var name: String
    /// The first characters of the key, safe to show and log.
    public var prefix: String
    public var scopes: [Scope]
    /// Ids of the sites the key is restricted to; nil for every site of its tenant.
    public var siteIDs: [Int64]?
    /// Creation time, milliseconds since the epoch.
    public var createdAt: Int64
    /// When the key stops working, milliseconds since the epoch; nil for never.
    public var expiresAt: Int64?
    /// Last authenticated request, milliseconds since the epoch (recorded within about a second).
    public var lastUsedAt: Int64?
    /// When the key was revoked, milliseconds since the epoch; a revoked key never works again.
    public var revokedAt: Int64?

    public init(
        id: Int64, tenantID: Int64, name: String, prefix: String, scopes: [Scope], siteIDs: [Int64]? = nil,
        createdAt: Int64, expiresAt: Int64? = nil, lastUsedAt: Int64? = nil, revokedAt: Int64? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.prefix = prefix
        self.scopes = scopes
        self.siteIDs = siteIDs
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// Whether the key carries `scope`.
    public func allows(_ scope: Scope) -> Bool { scopes.contains(scope) }

    /// Whether the key may see the site with id `siteID` (its tenant's sites are checked by the caller).
    public func allows(siteID: Int64) -> Bool { siteIDs?.contains(siteID) ?? true }

    /// Whether this key reaches at least as far as `other` (same tenant assumed): it carries
    /// every scope of `other` and sees every site `other` sees. A key may list and revoke only
    /// the keys it covers, as it may create only keys it covers.
    public func covers(_ other: APIKey) -> Bool {
        guard other.scopes.allSatisfy(allows) else { return false }
        guard let siteIDs else { return true }
        return other.siteIDs.map { Set($0).isSubset(of: siteIDs) } ?? false
    }

    /// Neither revoked nor expired at `now` (milliseconds since the epoch).
    public func isLive(at now: Int64) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }

    /// Key texts start with this marker so leaked keys are easy to find and revoke.
    public static let marker = "ff_live_"

    /// A new random key text: the marker and 32 base-62 characters (190 bits).
    static func generateSecret() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        return marker + String((0..<32).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }

    /// Hex SHA-256 of a key text, the form stored and looked up.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).hexEncoded
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
