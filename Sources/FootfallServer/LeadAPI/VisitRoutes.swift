import FootfallCore
import FootfallStore
import Hummingbird

/// `GET /api/v1/visits`: a site's visits by start time, cursor-paginated (scope `stats:read`).
struct VisitRoutes: Sendable {
    let store: any EventStore

    func register(on group: RouterGroup<FootfallRequestContext>) {
        group.get("visits") { request, context in
            try await self.list(request, context: context)
        }
    }

    func list(_ request: Request, context: FootfallRequestContext) async throws -> Response {
        let access = try context.require(.statsRead)
        let parameters = APIQuery(request)
        let site = try await access.site(parameters.string("site"))
        let (from, to) = try parameters.timeRange()
        var query = VisitQuery(siteID: site.id, from: from, to: to, limit: try parameters.limit())
        if let cursor = parameters.string("cursor") {
            guard let value = VisitCursor(token: cursor) else { throw APIError.badParameter("cursor", "malformed cursor; pass back a next_cursor") }
            query.after = value
        }
        let visits = try await store.visits(query)
        let next = visits.count == query.limit ? visits.last.map { VisitCursor(startedAt: $0.startedAt, visitID: $0.id).token } : nil
        return try JSONResponse.make(VisitPageResource(visits: visits.map(VisitResource.init), next_cursor: next))
    }
}
