import FootfallCore
import FootfallStore
import Hummingbird

/// `GET /api/v1/filtered?site=&from=&to=`: the site's traffic that was dropped — bots,
/// shields, Do-Not-Track / GPC, excluded paths, the visitor quota — per UTC day, drop reason
/// and bot family (scope `stats:read`), from the catalog's drop counts.
struct FilteredRoutes: Sendable {
    let catalog: Catalog

    static let dayMs: Int64 = 86_400_000

    func register(on group: RouterGroup<FootfallRequestContext>) {
        group.get("filtered") { request, context in
            let access = try context.require(.statsRead)
            let query = APIQuery(request)
            let site = try await access.site(query.string("site"))
            let (from, to) = try query.timeRange()
            let counts = try await catalog.botCounts(siteID: site.id, fromDay: from / Self.dayMs, toDay: (to - 1) / Self.dayMs)
            return try JSONResponse.make(FilteredResource(days: Self.days(counts)))
        }
    }

    /// Counts grouped by day, then by reason and family (largest first).
    static func days(_ counts: [BotCount]) -> [FilteredResource.Day] {
        Dictionary(grouping: counts, by: \.day).sorted { $0.key < $1.key }.map { day, counts in
            let rows = counts.map { count in
                FilteredResource.Row(
                    reason: BotVerdict.Signal(rawValue: count.signal).map { DropReason($0).rawValue } ?? count.signal,
                    family: count.family, count: count.count)
            }
            return FilteredResource.Day(
                day: String(Timestamp.iso8601(day * dayMs).prefix(10)), total: rows.reduce(0) { $0 + $1.count },
                dropped: rows.sorted { ($1.count, $0.reason, $0.family) < ($0.count, $1.reason, $1.family) })
        }
    }
}

/// Dropped traffic per day.
struct FilteredResource: Encodable {
    struct Row: Encodable {
        /// A drop reason as `/metrics` labels it: `bot`, `bot_webdriver`, `bot_datacenter`,
        /// `bot_impossible_timing`, `shield_*`, `do_not_track`, `excluded_path`, `quota`.
        let reason: String
        /// The bot family (`Googlebot`), `Shield` for shield drops, empty for the other reasons.
        let family: String
        let count: Int
    }

    struct Day: Encodable {
        /// `YYYY-MM-DD` (UTC).
        let day: String
        let total: Int
        let dropped: [Row]
    }

    let days: [Day]
}
