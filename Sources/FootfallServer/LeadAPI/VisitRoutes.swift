import FootfallCore
import FootfallStore
import Hummingbird

/// `GET /api/v1/visits`: a site's visits by start time, cursor-paginated.
struct VisitRoutes: Sendable {
    let catalog: Catalog
    let store: any EventStore

    static let maxLimit = 1000

    func register(on group: RouterGroup<FootfallRequestContext>) {
        group.get("visits") { request, context in
            try await self.list(request, context: context)
        }
    }

    func list(_ request: Request, context: FootfallRequestContext) async throws -> Response {
        let key = try context.require(.statsRead)
        let parameters = request.uri.queryParameters
        let site = try await SiteScope.resolve(parameters.get("site"), for: key, in: catalog)
        var query = VisitQuery(siteID: site.id)
        if let from = parameters.get("from") {
            guard let value = Timestamp.parse(from) else { throw APIError.badParameter("from", "expected ISO 8601 or epoch ms") }
            query.from = value
        }
        if let to = parameters.get("to") {
            guard let value = Timestamp.parse(to) else { throw APIError.badParameter("to", "expected ISO 8601 or epoch ms") }
            query.to = value
        }
        if let limit = parameters.get("limit") {
            guard let value = Int(limit), (1...Self.maxLimit).contains(value) else {
                throw APIError.badParameter("limit", "expected an integer from 1 to \(Self.maxLimit)")
            }
            query.limit = value
        }
        if let cursor = parameters.get("cursor") {
            guard let value = VisitCursor(token: cursor) else { throw APIError.badParameter("cursor", "malformed cursor") }
            query.after = value
        }
        let visits = try await store.visits(query)
        let next = visits.count == query.limit ? visits.last.map { VisitCursor(startedAt: $0.startedAt, visitID: $0.id).token } : nil
        return try JSONResponse.make(VisitPageResource(visits: visits.map(VisitResource.init), next_cursor: next))
    }
}

/// Resolves the `site` parameter within the caller's tenant: another tenant's site is
/// indistinguishable from a site that does not exist.
enum SiteScope {
    static func resolve(_ siteKey: String?, for key: APIKey, in catalog: Catalog) async throws -> Site {
        guard let siteKey, !siteKey.isEmpty else { throw APIError.badParameter("site", "required (a site key)") }
        guard let site = try await catalog.site(key: siteKey), site.tenantID == key.tenantID else {
            throw APIError.notFound("no site '\(siteKey)' in this account")
        }
        return site
    }
}
