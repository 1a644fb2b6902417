import FootfallCore
import FootfallExport
import FootfallStore
import Hummingbird

/// The lead endpoints of the Lead API, read only from the lead store:
/// `GET /api/v1/leads`, `/leads/changes`, `/leads/{id}`, `/leads/{id}/visits`.
struct LeadRoutes: Sendable {
    let store: any LeadReader

    func register(on group: RouterGroup<FootfallRequestContext>) {
        group.get("leads") { request, context in try await self.list(request, context: context) }
        group.get("leads/changes") { request, context in try await self.changes(request, context: context) }
        group.get("leads/:id") { request, context in try await self.lead(request, context: context) }
        group.get("leads/:id/visits") { request, context in try await self.visits(request, context: context) }
    }

    /// The key needs `leads:read`; the request reads the sites ``Access`` allows, or the one
    /// named by `site` (another tenant's site is not found).
    func scope(_ request: Request, context: FootfallRequestContext) async throws -> (tenantID: Int64, siteIDs: [Int64]) {
        let access = try context.require(.leadsRead)
        if let siteKey = request.uri.queryParameters.get("site") {
            return (access.tenantID, [try await access.site(siteKey).id])
        }
        return (access.tenantID, try await access.sites().map(\.id))
    }

    func list(_ request: Request, context: FootfallRequestContext) async throws -> Response {
        let (_, siteIDs) = try await scope(request, context: context)
        let parameters = APIQuery(request)
        var query = LeadQuery(siteIDs: siteIDs)
        query.from = try parameters.time("from") ?? .min
        query.to = try parameters.time("to") ?? .max
        guard query.from <= query.to else { throw APIError.badParameter("to", "must not be before 'from'") }
        query.minScore = try parameters.integer("min_score", in: 0...100)
        query.networkType = try parameters.oneOf("network_type", NetworkType.allCases.map(\.rawValue)).flatMap { NetworkType(rawValue: $0) }
        query.country = try parameters.text("country", matching: { $0.count == 2 && $0.allSatisfy { character in character.isLetter } }, expected: "an ISO 3166-1 alpha-2 code")
        query.page = try parameters.text("page", matching: { PathPattern($0) != nil }, expected: "a path pattern starting with / or *").flatMap { PathPattern($0) }
        query.source = try parameters.text("source", matching: { (1...100).contains($0.count) }, expected: "a medium or source name")
        query.targetAccount = try parameters.oneOf("target_account", ["true", "false"]).map { $0 == "true" }
        query.industry = try parameters.text("industry", matching: { (1...100).contains($0.count) }, expected: "an industry name")
        query.tier = try parameters.oneOf("tier", ["1", "2", "3"])
        query.sort = try parameters.choice("sort", default: LeadSort.scoreDescending)
        query.limit = try parameters.limit()
        query.after = try parameters.text("cursor", matching: { LeadCursor(token: $0) != nil }, expected: "a cursor from next_cursor")
            .flatMap { LeadCursor(token: $0) }
        guard !siteIDs.isEmpty else { return LeadListBody.response(documents: [], nextCursor: nil) }
        let page = try await store.leadDocuments(query)
        return LeadListBody.response(documents: page.documents, nextCursor: page.nextCursor?.token)
    }

    func changes(_ request: Request, context: FootfallRequestContext) async throws -> Response {
        let (tenantID, siteIDs) = try await scope(request, context: context)
        let parameters = APIQuery(request)
        let after = try parameters.integer("cursor", in: 0...Int.max) ?? 0
        let limit = try parameters.limit()
        let site = request.uri.queryParameters.get("site") == nil ? nil : siteIDs.first
        let changes = try await store.leadChanges(tenantID: tenantID, siteID: site, after: Int64(after), limit: limit)
        return try JSONResponse.make(
            LeadChangesResource(changes: changes.map(LeadResource.init), next_cursor: String(changes.last?.changeSeq ?? Int64(after))),
            encoder: LeadJSON.encoder())
    }

    func lead(_ request: Request, context: FootfallRequestContext) async throws -> Response {
        let lead = try await resolve(request, context: context)
        return try JSONResponse.make(LeadResource(lead: lead), encoder: LeadJSON.encoder())
    }

    func visits(_ request: Request, context: FootfallRequestContext) async throws -> Response {
        let lead = try await resolve(request, context: context)
        let parameters = APIQuery(request)
        let limit = try parameters.limit()
        let before = try parameters.text("cursor", matching: { VisitCursor(token: $0) != nil }, expected: "a cursor from next_cursor")
            .flatMap { VisitCursor(token: $0) }
        let (visits, next) = try await store.visits(of: lead, limit: limit, before: before)
        return try JSONResponse.make(LeadVisitsResource(visits: visits.map(VisitResource.init), next_cursor: next?.token))
    }

    /// The lead named by the path within the caller's sites; another tenant's id is 404.
    func resolve(_ request: Request, context: FootfallRequestContext) async throws -> Lead {
        let (_, siteIDs) = try await scope(request, context: context)
        let id = context.parameters.get("id") ?? ""
        guard let lead = try await store.lead(id: id, siteIDs: siteIDs) else { throw APIError.notFound("no lead '\(id)' in this account") }
        return lead
    }
}
