/// Footfall's tables in ClickHouse and their migrations, applied in order at open and
/// recorded in `schema_migrations`.
///
/// - `events`: the event log, `ReplacingMergeTree` partitioned by month of `ts` and ordered
///   by `(site_id, ts, event_id)`, so an event inserted twice (two nodes taking one retried
///   beacon) collapses to one row; reads use `FINAL`.
/// - `visits`: one row per write of a visit, `ReplacingMergeTree(version)` partitioned by
///   month of `started_at` and ordered by `(site_id, started_at, id)`. A visit's id is a hash
///   of its first event, so its key never changes; each write carries a higher `version`,
///   and a removed visit (merged or split by a late event) gets a row with `deleted = 1`.
///   Reads use `FINAL` and skip deleted rows, so they see each visit's latest write only.
///
/// Each row also holds the whole record as JSON (`doc`) so it reads back exactly; the other
/// columns are what queries filter and aggregate on.
enum ClickHouseSchema {
    static let migrations: [String] = [
        """
        CREATE TABLE IF NOT EXISTS events (
            site_id Int64, ts Int64, event_id String, visitor_id Int64, type String,
            org_domain String, stored_ip String, doc String
        ) ENGINE = ReplacingMergeTree()
        PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000)))
        ORDER BY (site_id, ts, event_id)
        """,
        """
        CREATE TABLE IF NOT EXISTS visits (
            site_id Int64, started_at Int64, id Int64, version UInt64, deleted UInt8,
            ended_at Int64, visitor_id Int64, pageviews UInt32, engaged_ms Int64, pages Array(String),
            entry_page String, exit_page String, referrer String, medium String, source String,
            campaign String, browser String, os String, device String, country String,
            network_type String, organisation String, org_domain String, doc String
        ) ENGINE = ReplacingMergeTree(version)
        PARTITION BY toYYYYMM(toDateTime(intDiv(started_at, 1000)))
        ORDER BY (site_id, started_at, id)
        """,
    ]

    /// Creates the database if missing and applies the migrations not yet recorded.
    /// - Throws: ``ClickHouseError`` when ClickHouse refuses a statement.
    static func migrate(_ client: ClickHouseClient) async throws {
        // The first contact: a server that is down fails in seconds, not after a minute.
        try await client.execute("CREATE DATABASE IF NOT EXISTS \(client.location.database)", inDatabase: false, timeout: 5)
        try await client.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32) ENGINE = TinyLog")
        let applied = try await client.lines("SELECT max(version) FROM schema_migrations").first.flatMap { Int($0) } ?? 0
        for (index, statement) in migrations.enumerated() where index + 1 > applied {
            try await client.execute(statement)
            try await client.execute("INSERT INTO schema_migrations VALUES (\(index + 1))")
        }
    }
}
