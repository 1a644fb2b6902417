import FootfallStore
import Hummingbird

/// Authenticates `Authorization: Bearer ff_live_…` against the hashed keys in the catalog.
/// Routes then check the scope they need with ``FootfallRequestContext/require(_:)``.
struct APIKeyAuthenticator: RouterMiddleware {
    let catalog: Catalog

    func handle(
        _ request: Request, context: FootfallRequestContext,
        next: (Request, FootfallRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("missing Authorization: Bearer <api key>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError.unauthorized("Authorization must be 'Bearer <api key>'")
        }
        guard let key = try await catalog.apiKey(secret: String(parts[1])) else {
            throw APIError.unauthorized("unknown or revoked API key")
        }
        var context = context
        context.apiKey = key
        return try await next(request, context)
    }
}

extension FootfallRequestContext {
    /// The authenticated key, if it carries `scope`.
    /// - Throws: 401 when unauthenticated, 403 when the scope is missing.
    func require(_ scope: Scope) throws -> APIKey {
        guard let apiKey else { throw APIError.unauthorized("missing API key") }
        guard apiKey.allows(scope) else { throw APIError.forbidden("this key lacks the '\(scope.rawValue)' scope") }
        return apiKey
    }
}
