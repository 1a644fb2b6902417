import FootfallCore
import FootfallStore
import Hummingbird

/// `GET/POST /api/v1/keys`, `DELETE /api/v1/keys/{id}`: the tenant's API keys (scope
/// `sites:admin`). A key can only hand out scopes and sites it has itself, and lists and
/// revokes only the keys it covers (``APIKey/covers(_:)``): a key limited to one site cannot
/// see or revoke a wider one. The new key's secret is in the creation response only.
/// Revocation applies from the next request.
struct KeyRoutes: Sendable {
    let catalog: Catalog

    struct NewKey: ClosedRequestBody {
        let name: String?
        let scopes: [String]
        /// Site keys; absent for every site the creating key sees.
        let sites: [String]?
        /// ISO 8601 or epoch milliseconds.
        let expires_at: ExpiryValue?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, scopes, sites, expires_at
        }
    }

    func register(on group: RouterGroup<FootfallRequestContext>) {
        group.get("keys") { request, context in
            let access = try context.require(.sitesAdmin)
            let query = APIQuery(request)
            let limit = try query.limit()
            let keys = try await catalog.apiKeys(tenantID: access.tenantID, afterID: try query.idCursor() ?? 0, limit: limit + 1)
            let page = Array(keys.prefix(limit))
            let siteKeys = try await self.siteKeys(access)
            return try JSONResponse.make(KeyListResource(
                keys: page.filter(access.key.covers).map { KeyResource($0, siteKeys: siteKeys) },
                next_cursor: keys.count > limit ? page.last.map { String($0.id) } : nil))
        }
        group.post("keys") { request, context in
            try await self.create(request, access: try context.require(.sitesAdmin))
        }
        group.delete("keys/{id}") { _, context in
            let access = try context.require(.sitesAdmin)
            let text = context.parameters.get("id") ?? ""
            guard let id = Int64(text), id > 0 else { throw APIError.badParameter("id", "expected a key id (a positive integer)") }
            let caller = access.key
            guard let key = try await catalog.revokeAPIKey(id: id, tenantID: access.tenantID, allowed: caller.covers) else {
                throw APIError.notFound("no key \(id) in this account")
            }
            return try JSONResponse.make(KeyResource(key, siteKeys: try await self.siteKeys(access)))
        }
    }

    func create(_ request: Request, access: Access) async throws -> Response {
        let body = try await APIBody.decode(NewKey.self, from: request)
        let name = body.name ?? "api"
        guard (1...100).contains(name.count) else { throw APIError.badBody("field 'name' must be 1–100 characters") }
        let scopes: [Scope]
        do {
            scopes = try Scope.parseList(body.scopes.joined(separator: ","))
        } catch let error as CatalogError {
            throw APIError.badBody("field 'scopes': \(error.description)")
        }
        guard !scopes.isEmpty else { throw APIError.badBody("field 'scopes' must name at least one scope") }
        for scope in scopes where !access.key.allows(scope) {
            throw APIError.forbidden("this key lacks the '\(scope.rawValue)' scope and cannot grant it")
        }
        var siteIDs: [Int64]? = nil
        if let sites = body.sites {
            guard !sites.isEmpty else { throw APIError.badBody("field 'sites' must name at least one site, or be left out") }
            siteIDs = try await sites.asyncMap { try await access.site($0).id }
        } else if let restricted = access.key.siteIDs {
            siteIDs = restricted
        }
        let expiresAt = try body.expires_at.map { value in
            guard let ms = Timestamp.parse(value.text), (0...APIQuery.maxTime).contains(ms) else {
                throw APIError.badBody("field 'expires_at' must be ISO 8601 or epoch milliseconds")
            }
            guard ms > Timestamp.nowMs() else { throw APIError.badBody("field 'expires_at' must be in the future") }
            return ms
        }
        let (secret, key) = try await catalog.createAPIKey(
            tenantID: access.tenantID, name: name, scopes: scopes, siteIDs: siteIDs, expiresAt: expiresAt)
        return try JSONResponse.make(
            CreatedKeyResource(key: KeyResource(key, siteKeys: try await siteKeys(access)), secret: secret), status: .created)
    }

    /// Site id → key for the tenant's sites.
    func siteKeys(_ access: Access) async throws -> [Int64: String] {
        Dictionary(uniqueKeysWithValues: try await catalog.sites(tenantID: access.tenantID).map { ($0.id, $0.key) })
    }
}

/// `expires_at` in a request body: a JSON string (ISO 8601 or digits) or number (epoch ms).
struct ExpiryValue: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int64.self) {
            text = String(value)
        } else {
            text = try container.decode(String.self)
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}

/// A key as the API shows it: never its secret or hash.
struct KeyResource: Encodable {
    let id: Int64
    let name: String
    /// The first characters of the secret, to recognise it.
    let prefix: String
    let scopes: [String]
    /// Site keys the key is restricted to; null for all the tenant's sites.
    @Nullable var sites: [String]?
    let created_at: String
    @Nullable var expires_at: String?
    @Nullable var last_used_at: String?
    @Nullable var revoked_at: String?

    init(_ key: APIKey, siteKeys: [Int64: String]) {
        id = key.id
        name = key.name
        prefix = key.prefix
        scopes = key.scopes.map(\.rawValue)
        sites = key.siteIDs.map { $0.compactMap { siteKeys[$0] } }
        created_at = Timestamp.iso8601(key.createdAt)
        expires_at = key.expiresAt.map(Timestamp.iso8601)
        last_used_at = key.lastUsedAt.map(Timestamp.iso8601)
        revoked_at = key.revokedAt.map(Timestamp.iso8601)
    }
}

struct KeyListResource: Encodable {
    let keys: [KeyResource]
    @Nullable var next_cursor: String?
}

/// A new key with its secret, shown this once.
struct CreatedKeyResource: Encodable {
    let key: KeyResource
    let secret: String
}
