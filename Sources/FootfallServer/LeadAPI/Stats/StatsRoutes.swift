import FootfallCore
import FootfallStore
import Hummingbird

/// `GET /api/v1/stats/{timeseries|pages|sources|devices|countries|organisations}`: the
/// dashboard's analytics queries for one site and a `[from, to)` range of visit starts
/// (scope `stats:read`). Breakdowns take `limit` (1–1000, default 10) and return the top values,
/// most first, with `next_cursor` (null on the last page) to pass back as `cursor` for the next.
struct StatsRoutes: Sendable {
    let store: any AnalyticsStore

    func register(on group: RouterGroup<FootfallRequestContext>) {
        group.get("stats/timeseries") { request, context in
            let (range, query) = try await self.range(request, context: context)
            let bucket = try query.choice("interval", default: TimeBucket.day)
            let result = try await store.timeSeries(range, bucket: bucket)
            return try JSONResponse.make(TimeSeriesResource(
                interval: bucket.rawValue,
                points: result.rows.map {
                    .init(start: Timestamp.iso8601($0.bucketStart), visits: $0.visits, pageviews: $0.pageviews, visitors: $0.uniqueVisitors)
                },
                skipped_segments: result.skipped.count))
        }
        group.get("stats/pages") { request, context in
            let (range, query) = try await self.range(request, context: context)
            let page = try BreakdownPage(query)
            return try Self.counted(try await store.topPages(range, limit: page.fetchLimit), page)
        }
        for (path, dimension) in [("sources", VisitDimension.source), ("devices", .device), ("countries", .country)] {
            group.get("stats/\(path)") { request, context in
                let (range, query) = try await self.range(request, context: context)
                let page = try BreakdownPage(query)
                return try Self.counted(try await store.breakdown(range, by: dimension, limit: page.fetchLimit), page)
            }
        }
        group.get("stats/organisations") { request, context in
            let (range, query) = try await self.range(request, context: context)
            let page = try BreakdownPage(query)
            let result = try await store.organisations(range, limit: page.fetchLimit)
            return try JSONResponse.make(OrganisationsResource(
                organisations: page.rows(of: result.rows).map {
                    .init(organisation: $0.organisation, domain: $0.domain, visits: $0.visits, pageviews: $0.pageviews,
                          engaged_ms: $0.engagedMs, last_seen: Timestamp.iso8601($0.lastSeen))
                },
                next_cursor: page.nextCursor(after: result.rows), skipped_segments: result.skipped.count))
        }
    }

    /// The caller's site and time range, after checking `stats:read`.
    func range(_ request: Request, context: FootfallRequestContext) async throws -> (AnalyticsRange, APIQuery) {
        let access = try context.require(.statsRead)
        let query = APIQuery(request)
        let site = try await access.site(query.string("site"))
        let (from, to) = try query.timeRange()
        return (AnalyticsRange(siteID: site.id, from: from, to: to), query)
    }

    static func counted(_ result: AnalyticsResult<[CountedValue]>, _ page: BreakdownPage) throws -> Response {
        try JSONResponse.make(CountedResource(
            rows: page.rows(of: result.rows).map { .init(value: $0.value, count: $0.count) },
            next_cursor: page.nextCursor(after: result.rows), skipped_segments: result.skipped.count))
    }
}

/// One page of a ranked breakdown: `limit` rows after the `cursor`'s offset. The ranking is
/// recomputed per request, so a page boundary holds while the range's data does not change.
struct BreakdownPage {
    /// Deepest row a cursor may reach.
    static let maxOffset = 100_000
    let offset: Int
    let limit: Int

    /// - Throws: ``APIError`` 400 for a bad `limit` or `cursor`.
    init(_ query: APIQuery) throws {
        limit = try query.limit(default: 10)
        let cursor = try query.idCursor() ?? 0
        guard cursor <= Self.maxOffset else { throw APIError.badParameter("cursor", "malformed cursor; pass back a next_cursor") }
        offset = Int(cursor)
    }

    /// Rows to ask the store for: this page and one more, to know whether a next page exists.
    var fetchLimit: Int { offset + limit + 1 }

    func rows<Row>(of ranked: [Row]) -> ArraySlice<Row> {
        ranked.dropFirst(offset).prefix(limit)
    }

    func nextCursor<Row>(after ranked: [Row]) -> String? {
        ranked.count > offset + limit && offset + limit <= Self.maxOffset ? String(offset + limit) : nil
    }
}

/// Visits, page views and distinct visitors per bucket of visit start.
struct TimeSeriesResource: Encodable {
    struct Point: Encodable {
        let start: String
        let visits: Int
        let pageviews: Int
        let visitors: Int
    }

    let interval: String
    let points: [Point]
    /// Corrupt columnar segments left out of the numbers.
    let skipped_segments: Int
}

/// Values of one visit attribute (page, source, device, country) and their counts, most first.
struct CountedResource: Encodable {
    struct Row: Encodable {
        let value: String
        let count: Int
    }

    let rows: [Row]
    @Nullable var next_cursor: String?
    let skipped_segments: Int
}

/// Organisations with their activity, most visits first.
struct OrganisationsResource: Encodable {
    struct Organisation: Encodable {
        let organisation: String
        let domain: String
        let visits: Int
        let pageviews: Int
        let engaged_ms: Int64
        let last_seen: String
    }

    let organisations: [Organisation]
    @Nullable var next_cursor: String?
    let skipped_segments: Int
}
