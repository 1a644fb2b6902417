import FootfallCore

/// The query service behind the dashboard and the stats API: aggregates over the visits
/// that started in an ``AnalyticsRange`` (hot and compacted read as one), and the raw event
/// stream of a site.
///
/// Each aggregate comes as an ``AnalyticsResult``: its rows plus the segments skipped as
/// corrupt, which the numbers then exclude.
public protocol AnalyticsStore: Sendable {
    /// Visits, page views and unique visitors per hour or day (UTC) of visit start, oldest
    /// bucket first; buckets without visits are absent.
    /// - Throws: the backend's storage error when the store cannot be read.
    func timeSeries(_ range: AnalyticsRange, bucket: TimeBucket) async throws -> AnalyticsResult<[TimeSeriesPoint]>

    /// The most viewed page paths (page views of the range's visits), most views first, ties
    /// by path; at most `limit`.
    /// - Throws: the backend's storage error when the store cannot be read.
    func topPages(_ range: AnalyticsRange, limit: Int) async throws -> AnalyticsResult<[CountedValue]>

    /// Visits per value of one visit attribute, most visits first, ties by value; at most `limit`.
    /// - Throws: the backend's storage error when the store cannot be read.
    func breakdown(_ range: AnalyticsRange, by dimension: VisitDimension, limit: Int) async throws -> AnalyticsResult<[CountedValue]>

    /// Organisations with their visits, page views and engaged time (ms), most visits first;
    /// at most `limit`.
    /// - Throws: the backend's storage error when the store cannot be read.
    func organisations(_ range: AnalyticsRange, limit: Int) async throws -> AnalyticsResult<[OrganisationActivity]>

    /// A stream of the site's stored events with a time in `[from, to)` (ms since the epoch).
    /// Nothing is read until the first ``EventStream/nextBatch()``.
    func eventStream(siteID: Int64, from: Int64, to: Int64) -> any EventStream
}
