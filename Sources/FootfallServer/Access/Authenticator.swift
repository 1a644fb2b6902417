import FootfallCore
import FootfallStore
import Hummingbird

/// Turns a credential into ``Access``: a bearer key on `/api`, or the dashboard's session
/// cookie (which holds a key too). Keys are looked up by SHA-256 on every request, so a
/// revoked or expired key fails on its next request.
struct Authenticator: Sendable {
    let catalog: Catalog

    /// The dashboard session cookie: an API key, HttpOnly, SameSite=Strict, Path=/dashboard.
    static let cookieName = "ff_dashboard_key"

    /// Access from `Authorization: Bearer ff_live_…`.
    /// - Throws: ``APIError`` 401 saying what is wrong with the header or key.
    func bearer(_ request: Request) async throws -> Access {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("missing Authorization: Bearer <api key>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("Authorization must be 'Bearer <api key>'")
        }
        guard let access = try await access(secret: String(parts[1])) else {
            throw APIError.unauthorized("unknown, revoked or expired API key")
        }
        return access
    }

    /// Access from the dashboard cookie; nil when there is none or its key is no longer live.
    func cookie(_ request: Request) async throws -> Access? {
        guard let secret = request.cookies[Self.cookieName]?.value else { return nil }
        return try await access(secret: secret)
    }

    /// Access of a key text; nil when unknown, revoked or expired.
    func access(secret: String) async throws -> Access? {
        guard secret.hasPrefix(APIKey.marker), let key = try await catalog.apiKey(secret: secret) else { return nil }
        return Access(key: key, catalog: catalog)
    }
}
