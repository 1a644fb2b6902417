import FootfallCore
import Foundation

/// The dashboard's aggregates as ClickHouse queries over the current visit versions.
/// ClickHouse has no segments, so ``AnalyticsResult/skipped`` is always empty.
extension ClickHouseEventStore: AnalyticsStore {
    /// The current visits of `range`: the `FROM … WHERE` every aggregate shares.
    private func visitsIn(_ range: AnalyticsRange) -> String {
        """
        FROM visits FINAL
        WHERE site_id = \(range.siteID) AND started_at >= \(range.from) AND started_at < \(range.to) AND deleted = 0
        """
    }

    /// Runs `sql` in `FORMAT JSONEachRow` and decodes each line as `Row`.
    private func rows<Row: Decodable>(_ type: Row.Type, _ sql: String) async throws -> [Row] {
        let output = try await client.query(sql + " FORMAT JSONEachRow")
        let decoder = JSONDecoder()
        return try output.split(separator: UInt8(ascii: "\n")).map { line in
            do {
                return try decoder.decode(Row.self, from: Data(line))
            } catch {
                throw ClickHouseError.unreadable("\(Row.self): \(error)")
            }
        }
    }

    private struct Counted: Decodable {
        var value: String
        var count: Int
    }

    /// `rows` ordered as every counted query is: most first, ties by value (Swift's order, so
    /// both backends agree on non-ASCII ties).
    private static func top(_ rows: [Counted]) -> [CountedValue] {
        rows.map { CountedValue(value: $0.value, count: $0.count) }.sorted { ($1.count, $0.value) < ($0.count, $1.value) }
    }

    public func timeSeries(_ range: AnalyticsRange, bucket: TimeBucket) async throws -> AnalyticsResult<[TimeSeriesPoint]> {
        struct Point: Decodable {
            var bucket: Int64, visits: Int, pageviews: Int, visitors: Int
        }
        let width = bucket.milliseconds
        let points = try await rows(Point.self, """
            SELECT intDiv(started_at, \(width)) * \(width) AS bucket, count() AS visits, sum(pageviews) AS pageviews,
                   uniqExact(visitor_id) AS visitors
            \(visitsIn(range)) GROUP BY bucket ORDER BY bucket
            """)
        return AnalyticsResult(rows: points.map {
            TimeSeriesPoint(bucketStart: $0.bucket, visits: $0.visits, pageviews: $0.pageviews, uniqueVisitors: $0.visitors)
        }, skipped: [])
    }

    public func topPages(_ range: AnalyticsRange, limit: Int) async throws -> AnalyticsResult<[CountedValue]> {
        let counted = try await rows(Counted.self, """
            SELECT path AS value, count() AS count \(visitsIn(range).replacingOccurrences(of: "FINAL", with: "FINAL ARRAY JOIN pages AS path"))
            GROUP BY value ORDER BY count DESC, value LIMIT \(max(0, limit))
            """)
        return AnalyticsResult(rows: Self.top(counted), skipped: [])
    }

    public func breakdown(_ range: AnalyticsRange, by dimension: VisitDimension, limit: Int) async throws -> AnalyticsResult<[CountedValue]> {
        // Every dimension's raw value is the name of its column (ClickHouseSchema).
        let counted = try await rows(Counted.self, """
            SELECT \(dimension.rawValue) AS value, count() AS count \(visitsIn(range))
            GROUP BY value ORDER BY count DESC, value LIMIT \(max(0, limit))
            """)
        return AnalyticsResult(rows: Self.top(counted), skipped: [])
    }

    public func organisations(_ range: AnalyticsRange, limit: Int) async throws -> AnalyticsResult<[OrganisationActivity]> {
        struct Activity: Decodable {
            var organisation: String, domain: String, visits: Int, pageviews: Int, engaged: Int64, last: Int64
        }
        let activity = try await rows(Activity.self, """
            SELECT organisation, any(org_domain) AS domain, count() AS visits, sum(pageviews) AS pageviews,
                   sum(engaged_ms) AS engaged, max(started_at) AS last
            \(visitsIn(range)) AND organisation != ''
            GROUP BY organisation ORDER BY visits DESC, organisation LIMIT \(max(0, limit))
            """)
        let rows = activity.map {
            OrganisationActivity(organisation: $0.organisation, domain: $0.domain, visits: $0.visits,
                                 pageviews: $0.pageviews, engagedMs: $0.engaged, lastSeen: $0.last)
        }
        return AnalyticsResult(rows: rows.sorted { ($1.visits, $0.organisation) < ($0.visits, $1.organisation) }, skipped: [])
    }

    public func eventStream(siteID: Int64, from: Int64, to: Int64) -> any EventStream {
        ClickHouseEventStream(client: client, siteID: siteID, from: from, to: to)
    }
}

/// A site's events read from ClickHouse in (time, id) order, a keyset page at a time.
struct ClickHouseEventStream: EventStream {
    let client: ClickHouseClient
    let siteID: Int64
    let from: Int64
    let to: Int64
    /// The last event handed out: the next page starts after it.
    var after: (ts: Int64, id: String)?
    var exhausted = false
    /// Events per batch.
    static let batchSize = 1_000

    init(client: ClickHouseClient, siteID: Int64, from: Int64, to: Int64) {
        self.client = client
        self.siteID = siteID
        self.from = from
        self.to = to
    }

    mutating func nextBatch() async throws -> [Event]? {
        guard !exhausted else { return nil }
        let resume = after.map { "AND (ts > \($0.ts) OR (ts = \($0.ts) AND event_id > \(ClickHouseSQL.string($0.id))))" } ?? ""
        let events = try ClickHouseRows.decode(Event.self, try await client.lines("""
            SELECT doc FROM events FINAL WHERE site_id = \(siteID) AND ts >= \(from) AND ts < \(to) \(resume)
            ORDER BY ts, event_id LIMIT \(Self.batchSize)
            """))
        exhausted = events.count < Self.batchSize
        guard let last = events.last else { return nil }
        after = (last.timestamp, last.id)
        return events
    }
}
