import FootfallCore
import FootfallStore
import Hummingbird

/// `GET /api/v1/audit` (scope `sites:admin`): the tenant's audit log, newest first, and
/// `GET /api/v1/usage`: this month's API calls and tracked visitors against the quotas.
struct AuditRoutes: Sendable {
    let catalog: Catalog
    let usage: UsageMeter

    func register(on group: RouterGroup<FootfallRequestContext>) {
        group.get("audit") { request, context in
            let access = try context.require(.sitesAdmin)
            let query = APIQuery(request)
            let limit = try query.limit()
            let entries = try await catalog.auditLog(tenantID: access.tenantID, beforeID: try query.idCursor(), limit: limit + 1)
            let page = Array(entries.prefix(limit))
            return try JSONResponse.make(AuditListResource(
                entries: page.map(AuditResource.init), next_cursor: entries.count > limit ? page.last.map { String($0.id) } : nil))
        }
        group.get("usage") { _, context in
            let access = try context.require(.sitesAdmin)
            let report = usage.report(tenantID: access.tenantID, now: Timestamp.nowMs())
            return try JSONResponse.make(UsageResource(
                month: report.month, api_calls: report.apiCalls, api_calls_quota: report.quota.apiCallsPerMonth,
                visitors: report.visitors, visitors_quota: report.quota.visitorsPerMonth))
        }
    }
}

/// One audit row: who (key id and prefix), what, on which route and target, with which status.
struct AuditResource: Encodable {
    let id: Int64
    let at: String
    let actor: String
    let action: String
    let detail: String
    @Nullable var key_id: Int64?
    let route: String
    let target: String
    @Nullable var status: Int?

    init(_ entry: AuditEntry) {
        id = entry.id
        at = Timestamp.iso8601(entry.at)
        actor = entry.actor
        action = entry.action
        detail = entry.detail
        key_id = entry.keyID
        route = entry.route
        target = entry.target
        status = entry.status
    }
}

struct AuditListResource: Encodable {
    let entries: [AuditResource]
    @Nullable var next_cursor: String?
}

/// A tenant's usage in the current UTC month; quotas null when unlimited.
struct UsageResource: Encodable {
    let month: String
    let api_calls: Int
    @Nullable var api_calls_quota: Int?
    let visitors: Int
    @Nullable var visitors_quota: Int?
}
