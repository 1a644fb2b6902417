import FootfallCore
import FootfallStore
import Foundation
import Hummingbird

/// `GET /dashboard`: the site owner's overview, server-rendered HTML + SVG.
///
/// Sign-in is an API key with `stats:read`, kept in an HttpOnly, SameSite=Strict cookie
/// scoped to `/dashboard`; ``Authenticator`` turns it into ``Access``, which decides the sites shown.
struct DashboardRoutes: Sendable {
    let authenticator: Authenticator
    let store: any AnalyticsStore & LeadReader

    static let cookieName = Authenticator.cookieName
    static let periods = [1, 7, 30, 90]

    func register(on router: Router<FootfallRequestContext>) {
        router.get("/dashboard") { request, _ in
            try await self.page(request)
        }
        router.post("/dashboard/login") { request, context in
            try await self.login(request, context: context)
        }
        router.get("/dashboard/leads/:id") { request, context in
            try await self.leadPage(request, id: context.parameters.get("id") ?? "")
        }
        router.post("/dashboard/logout") { _, _ in
            Self.redirect(to: "/dashboard", cookie: "\(Self.cookieName)=; Path=/dashboard; Max-Age=0; HttpOnly; SameSite=Strict")
        }
    }

    /// The signed-in caller (cookie) if the key is live and has `stats:read`.
    func signedIn(_ request: Request) async throws -> Access? {
        guard let access = try await authenticator.cookie(request), access.key.allows(.statsRead) else { return nil }
        return access
    }

    func page(_ request: Request) async throws -> Response {
        guard let access = try await signedIn(request) else { return Self.html(DashboardPage.login(error: nil)) }
        let sites = try await access.sites()
        let parameters = request.uri.queryParameters
        guard let site = sites.first(where: { $0.key == parameters.get("site") }) ?? sites.first else {
            return Self.html(DashboardPage.noSites())
        }
        let days = parameters.get("days").flatMap(Int.init).flatMap { Self.periods.contains($0) ? $0 : nil } ?? 7
        let now = Timestamp.nowMs()
        let range = AnalyticsRange(siteID: site.id, from: now - Int64(days) * 86_400_000, to: now + 1)
        let overview = try await DashboardOverview.load(
            store: store, range: range, bucket: days <= 1 ? .hour : .day, withLeads: access.key.allows(.leadsRead))
        let origin = "http://" + (request.head.authority ?? "127.0.0.1")
        return Self.html(DashboardPage.overview(
            site: site, sites: sites, days: days, periods: Self.periods, origin: origin, data: overview))
    }

    /// One lead and each visit's journey, for the signed-in tenant's sites only, to a key
    /// with `leads:read` (as `GET /api/v1/leads/{id}` requires).
    func leadPage(_ request: Request, id: String) async throws -> Response {
        guard let access = try await signedIn(request) else { return Self.html(DashboardPage.login(error: nil)) }
        guard access.key.allows(.leadsRead) else { return Self.html(LeadHTML.notFound(), status: .notFound) }
        let sites = try await access.sites()
        guard let lead = try await store.lead(id: id, siteIDs: sites.map(\.id)),
              let site = sites.first(where: { $0.id == lead.siteID }) else {
            return Self.html(LeadHTML.notFound(), status: .notFound)
        }
        let visits = try await store.visits(of: lead, limit: 50, before: nil).visits
        return Self.html(LeadHTML.page(lead: lead, site: site, visits: visits))
    }

    func login(_ request: Request, context: FootfallRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 4096)
        let form = String(buffer: body)
        let secret = form.split(separator: "&").compactMap { pair -> String? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == "key" else { return nil }
            return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
        }.first?.trimmingCharacters(in: .whitespaces) ?? ""
        guard let access = try await authenticator.access(secret: secret), access.key.allows(.statsRead) else {
            return Self.html(DashboardPage.login(error: "That key is unknown, revoked or lacks the stats:read scope."), status: .unauthorized)
        }
        try await authenticator.catalog.audit(tenantID: access.tenantID, actor: access.actor, action: "dashboard.login", detail: "")
        return Self.redirect(
            to: "/dashboard",
            cookie: "\(Self.cookieName)=\(secret); Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age=2592000")
    }

    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                      .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func redirect(to location: String, cookie: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .setCookie: cookie])
    }
}

/// Everything one dashboard page shows, loaded from the analytics queries.
struct DashboardOverview {
    var series: [TimeSeriesPoint]
    var bucket: TimeBucket
    var topPages: [CountedValue]
    var sources: [CountedValue]
    var devices: [CountedValue]
    var countries: [CountedValue]
    /// Leads seen in the period, best first, from the lead store; nil when the key may not read leads.
    var leads: [Lead]?
    var skippedSegments: Int

    static func load(
        store: any AnalyticsStore & LeadReader, range: AnalyticsRange, bucket: TimeBucket, withLeads: Bool
    ) async throws -> DashboardOverview {
        let series = try await store.timeSeries(range, bucket: bucket)
        // Empty buckets are absent from the query; the chart shows them as zero.
        let width: Int64 = bucket == .hour ? 3_600_000 : 86_400_000
        let byStart = Dictionary(series.rows.map { ($0.bucketStart, $0) }, uniquingKeysWith: { first, _ in first })
        let filled = stride(from: range.from - range.from % width, to: range.to, by: Int(width)).map { start in
            byStart[start] ?? TimeSeriesPoint(bucketStart: start, visits: 0, pageviews: 0, uniqueVisitors: 0)
        }
        let pages = try await store.topPages(range, limit: 10)
        let sources = try await store.breakdown(range, by: .source, limit: 10)
        let devices = try await store.breakdown(range, by: .device, limit: 5)
        let countries = try await store.breakdown(range, by: .country, limit: 10)
        var leadQuery = LeadQuery(siteIDs: [range.siteID])
        leadQuery.from = range.from
        leadQuery.limit = 50
        let leads = withLeads ? try await store.leads(leadQuery).leads : nil
        let skipped = Set((series.skipped + pages.skipped).map(\.segmentID)).count
        return DashboardOverview(
            series: filled, bucket: bucket, topPages: pages.rows, sources: sources.rows, devices: devices.rows,
            countries: countries.rows, leads: leads, skippedSegments: skipped)
    }
}
