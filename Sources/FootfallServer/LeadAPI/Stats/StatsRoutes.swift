import FootfallCore
import FootfallStore
import Hummingbird

/// `GET /api/v1/stats/{timeseries|pages|sources|devices|countries|organisations}`: the
/// dashboard's analytics queries for one site and a `[from, to)` range of visit starts
/// (scope `stats:read`). Breakdowns take `limit` (1–1000, default 10) and return the top values.
struct StatsRoutes: Sendable {
    let store: SQLiteEventStore

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
            return try Self.counted(try await store.topPages(range, limit: try query.limit(default: 10)))
        }
        for (path, dimension) in [("sources", VisitDimension.source), ("devices", .device), ("countries", .country)] {
            group.get("stats/\(path)") { request, context in
                let (range, query) = try await self.range(request, context: context)
                return try Self.counted(try await store.breakdown(range, by: dimension, limit: try query.limit(default: 10)))
            }
        }
        group.get("stats/organisations") { request, context in
            let (range, query) = try await self.range(request, context: context)
            let result = try await store.organisations(range, limit: try query.limit(default: 10))
            return try JSONResponse.make(OrganisationsResource(
                organisations: result.rows.map {
                    .init(organisation: $0.organisation, domain: $0.domain, visits: $0.visits, pageviews: $0.pageviews,
                          engaged_ms: $0.engagedMs, last_seen: Timestamp.iso8601($0.lastSeen))
                },
                skipped_segments: result.skipped.count))
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

    static func counted(_ result: AnalyticsResult<[CountedValue]>) throws -> Response {
        try JSONResponse.make(CountedResource(
            rows: result.rows.map { .init(value: $0.value, count: $0.count) }, skipped_segments: result.skipped.count))
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
    let skipped_segments: Int
}
