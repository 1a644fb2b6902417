import Foundation
import FootfallCore
import GRDB

/// How a ``Visit`` is written to and read from the `visits` table.
enum VisitRow {
    static let columns = [
        "id", "site_id", "visitor_id", "started_at", "ended_at", "entry_page", "exit_page", "pageviews", "pages",
        "engaged_ms", "max_scroll", "clicks", "custom_events", "referrer", "medium", "source", "campaign",
        "browser", "browser_version", "os", "os_version", "device", "organisation", "org_domain", "asn",
        "network_type", "country", "region", "city", "match_source",
    ]

    /// Columns a visit's id fixes: the id hashes the site and the first event, whose time is
    /// the start and whose visitor is the visit's.
    static let keyColumns: Set = ["id", "site_id", "visitor_id", "started_at"]

    /// Inserts a visit or updates it in place. An update, unlike `INSERT OR REPLACE` (a delete
    /// and an insert), sets only the columns an event can change: SQLite rewrites the entries
    /// of every index whose columns an UPDATE sets, even to the same value, so setting
    /// `site_id` and `started_at` cost a `visits_by_site_start` page per update: 22% of the
    /// log's bytes of visit updates in a SQLite model of the bench's commits (no change the
    /// ingest bench could tell from its run-to-run noise).
    static let upsertSQL = """
        INSERT INTO visits (\(columns.joined(separator: ", ")))
        VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ",")))
        ON CONFLICT (id) DO UPDATE SET \(columns.filter { !keyColumns.contains($0) }.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
        """

    /// Executes `upsert` (``upsertSQL``, prepared) for `visit`.
    /// - Throws: the `DatabaseError` of a failed step.
    static func upsert(_ visit: Visit, _ upsert: Statement) throws {
        var row = RowBinder(upsert)
        row.add(visit.id); row.add(visit.siteID); row.add(visit.visitorID); row.add(visit.startedAt)
        row.add(visit.endedAt); row.add(visit.entryPage); row.add(visit.exitPage); row.add(visit.pageviews)
        VisitPagesJSON.encode(visit.pages).withUnsafeBufferPointer { row.add(utf8: $0) }
        row.add(visit.engagedMs); row.add(visit.maxScrollPercent); row.add(visit.clicks)
        row.add(visit.customEvents); row.add(visit.referrer); row.add(visit.source.medium.rawValue)
        row.add(visit.source.source); row.add(visit.source.campaign); row.add(visit.userAgent.browser)
        row.add(visit.userAgent.browserVersion); row.add(visit.userAgent.os); row.add(visit.userAgent.osVersion)
        row.add(visit.userAgent.device.rawValue); row.add(visit.network.organisation); row.add(visit.network.domain)
        row.add(visit.network.asn); row.add(visit.network.networkType.rawValue); row.add(visit.network.country)
        row.add(visit.network.region); row.add(visit.network.city); row.add(visit.network.matchSource.rawValue)
        try row.execute()
    }

    static func visit(from row: Row) throws -> Visit {
        let pagesJSON: String = row["pages"]
        return Visit(
            id: row["id"], siteID: row["site_id"], visitorID: row["visitor_id"],
            startedAt: row["started_at"], endedAt: row["ended_at"],
            pages: try JSONDecoder().decode([VisitPage].self, from: Data(pagesJSON.utf8)),
            engagedMs: row["engaged_ms"], maxScrollPercent: row["max_scroll"], clicks: row["clicks"],
            customEvents: row["custom_events"], referrer: row["referrer"],
            source: TrafficSource(
                medium: TrafficSource.Medium(rawValue: row["medium"]) ?? .direct, source: row["source"],
                campaign: row["campaign"]),
            userAgent: UserAgentInfo(
                browser: row["browser"], browserVersion: row["browser_version"], os: row["os"],
                osVersion: row["os_version"], device: DeviceClass(rawValue: row["device"]) ?? .other,
                isBot: false),
            network: NetworkInfo(
                organisation: row["organisation"], domain: row["org_domain"], asn: row["asn"],
                networkType: NetworkType(rawValue: row["network_type"]) ?? .unknown,
                country: row["country"], storedIP: "", region: row["region"], city: row["city"],
                matchSource: LeadMatchSource(rawValue: row["match_source"]) ?? .unknown))
    }
}
