import FootfallCore
import GRDB

/// One segment's rows as named columns, before encoding or after decoding.
///
/// A `visits` segment holds one row per visit plus the visits' page views as `page.*`
/// columns laid out visit after visit (the `pageviews` column gives each visit's count).
/// An `events` segment holds the columns of the `events` table.
public struct ColumnSegment: Sendable {
    /// What a segment stores.
    public enum Kind: String, Sendable {
        case visits, events
    }

    public var kind: Kind
    public var siteID: Int64
    public var rowCount: Int
    public var columns: [String: ColumnValues]

    /// Zone map: the time range (visit start or event time) and organisations it covers.
    public var minTime: Int64
    public var maxTime: Int64
    public var minOrganisation: String
    public var maxOrganisation: String
}

/// How visits map to and from the columns of a `visits` segment.
enum VisitColumns {
    static let integerNames = [
        "id", "visitor_id", "started_at", "duration_ms", "pageviews", "engaged_ms", "max_scroll",
        "clicks", "custom_events", "asn",
    ]
    static let stringNames = [
        "entry_page", "exit_page", "referrer", "medium", "source", "campaign", "browser",
        "browser_version", "os", "os_version", "device", "organisation", "org_domain", "network_type", "country",
        "region", "city", "match_source",
    ]
    /// Columns added after segments were first written: a segment without them reads as
    /// empty / `unknown` instead of corrupt.
    static let addedNames: Set<String> = ["region", "city", "match_source"]
    static let pageIntegerNames = ["page.offset_ms", "page.engaged_ms", "page.max_scroll"]
    static let pageStringNames = ["page.path", "page.load_id"]
    static var allNames: [String] { integerNames + stringNames + pageIntegerNames + pageStringNames }

    /// Columns of `visits` (all of one site, sorted by start time and id).
    static func segment<Visits: Collection<Visit>>(siteID: Int64, visits: Visits) -> ColumnSegment {
        var integers = Dictionary(uniqueKeysWithValues: (integerNames + pageIntegerNames).map { ($0, [Int64]()) })
        var strings = Dictionary(uniqueKeysWithValues: (stringNames + pageStringNames).map { ($0, [String]()) })
        for visit in visits {
            for (name, value) in integerFields(visit) { integers[name]!.append(value) }
            for (name, value) in stringFields(visit) { strings[name]!.append(value) }
            for page in visit.pages {
                integers["page.offset_ms"]!.append(page.viewedAt - visit.startedAt)
                integers["page.engaged_ms"]!.append(page.engagedMs)
                integers["page.max_scroll"]!.append(Int64(page.maxScrollPercent))
                strings["page.path"]!.append(page.path)
                strings["page.load_id"]!.append(page.pageLoadID)
            }
        }
        var columns: [String: ColumnValues] = [:]
        for (name, values) in integers { columns[name] = .integers(values) }
        for (name, values) in strings { columns[name] = .strings(values) }
        let organisations = visits.map(\.network.organisation)
        return ColumnSegment(
            kind: .visits, siteID: siteID, rowCount: visits.count, columns: columns,
            minTime: visits.map(\.startedAt).min() ?? 0, maxTime: visits.map(\.startedAt).max() ?? 0,
            minOrganisation: organisations.min() ?? "", maxOrganisation: organisations.max() ?? "")
    }

    static func integerFields(_ visit: Visit) -> KeyValuePairs<String, Int64> {
        [
            "id": visit.id, "visitor_id": visit.visitorID, "started_at": visit.startedAt,
            "duration_ms": visit.endedAt - visit.startedAt, "pageviews": Int64(visit.pageviews),
            "engaged_ms": visit.engagedMs, "max_scroll": Int64(visit.maxScrollPercent),
            "clicks": Int64(visit.clicks), "custom_events": Int64(visit.customEvents), "asn": Int64(visit.network.asn),
        ]
    }

    static func stringFields(_ visit: Visit) -> KeyValuePairs<String, String> {
        [
            "entry_page": visit.entryPage, "exit_page": visit.exitPage, "referrer": visit.referrer,
            "medium": visit.source.medium.rawValue, "source": visit.source.source, "campaign": visit.source.campaign,
            "browser": visit.userAgent.browser, "browser_version": visit.userAgent.browserVersion,
            "os": visit.userAgent.os, "os_version": visit.userAgent.osVersion,
            "device": visit.userAgent.device.rawValue, "organisation": visit.network.organisation,
            "org_domain": visit.network.domain, "network_type": visit.network.networkType.rawValue,
            "country": visit.network.country, "region": visit.network.region, "city": visit.network.city,
            "match_source": visit.network.matchSource.rawValue,
        ]
    }

    /// Rebuilds the visits of a decoded segment (all ``allNames`` columns present).
    static func visits(siteID: Int64, batch: ColumnBatch) -> [Visit] {
        let pageviews = batch.integers("pageviews")
        let startedAt = batch.integers("started_at")
        let offsets = batch.integers("page.offset_ms"), pageEngaged = batch.integers("page.engaged_ms")
        let pageScroll = batch.integers("page.max_scroll")
        let paths = batch.strings("page.path"), loads = batch.strings("page.load_id")
        var visits: [Visit] = []
        visits.reserveCapacity(batch.rowCount)
        var page = 0
        for row in 0..<batch.rowCount {
            var pages: [VisitPage] = []
            for index in page..<page + Int(pageviews[row]) {
                pages.append(VisitPage(
                    path: paths[index], viewedAt: startedAt[row] + offsets[index], pageLoadID: loads[index],
                    engagedMs: pageEngaged[index], maxScrollPercent: Int(pageScroll[index])))
            }
            page += Int(pageviews[row])
            visits.append(visit(siteID: siteID, batch: batch, row: row, pages: pages))
        }
        return visits
    }

    static func visit(siteID: Int64, batch: ColumnBatch, row: Int, pages: [VisitPage]) -> Visit {
        func int(_ name: String) -> Int64 { batch.integers(name)[row] }
        func text(_ name: String) -> String { batch.strings(name)[row] }
        func added(_ name: String) -> String? { batch.strings(name).codes.isEmpty ? nil : text(name) }
        return Visit(
            id: int("id"), siteID: siteID, visitorID: int("visitor_id"), startedAt: int("started_at"),
            endedAt: int("started_at") + int("duration_ms"), pages: pages, engagedMs: int("engaged_ms"),
            maxScrollPercent: Int(int("max_scroll")), clicks: Int(int("clicks")), customEvents: Int(int("custom_events")),
            referrer: text("referrer"),
            source: TrafficSource(
                medium: TrafficSource.Medium(rawValue: text("medium")) ?? .direct, source: text("source"),
                campaign: text("campaign")),
            userAgent: UserAgentInfo(
                browser: text("browser"), browserVersion: text("browser_version"), os: text("os"),
                osVersion: text("os_version"), device: DeviceClass(rawValue: text("device")) ?? .other, isBot: false),
            network: NetworkInfo(
                organisation: text("organisation"), domain: text("org_domain"), asn: Int(int("asn")),
                networkType: NetworkType(rawValue: text("network_type")) ?? .unknown, country: text("country"),
                storedIP: "", region: added("region") ?? "", city: added("city") ?? "",
                matchSource: added("match_source").flatMap(LeadMatchSource.init) ?? .unknown))
    }
}

/// How rows of the `events` table map to and from the columns of an `events` segment:
/// every table column becomes a segment column of its declared type.
enum EventColumns {
    /// `(name, type)` of the events table columns.
    static func schema(_ db: Database) throws -> [(name: String, type: String)] {
        try db.columns(in: "events").map { ($0.name, $0.type.uppercased()) }
    }

    static func segment<Rows: Collection<Row>>(siteID: Int64, rows: Rows, schema: [(name: String, type: String)]) -> ColumnSegment {
        // Rows come from `SELECT *`, so column i is schema[i]; positional access avoids
        // GRDB's per-row name lookup (millions of them per segment).
        var columns: [String: ColumnValues] = [:]
        for (index, (name, type)) in schema.enumerated() {
            switch type {
            case "INTEGER": columns[name] = .integers(rows.map { $0[index] as Int64? ?? 0 })
            case "REAL": columns[name] = .reals(rows.map { $0[index] as Double? })
            default: columns[name] = .strings(rows.map { $0[index] as String? ?? "" })
            }
        }
        return segment(siteID: siteID, columns: columns, rowCount: rows.count)
    }

    /// A segment of the rows at `indexes` of a decoded event segment's `columns` (erasure
    /// rewrites segments without a data subject's rows this way).
    static func segment(siteID: Int64, columns: [String: ColumnValues], keeping indexes: [Int]) -> ColumnSegment {
        var kept: [String: ColumnValues] = [:]
        for (name, values) in columns {
            let filtered: ColumnValues = switch values {
            case .integers(let integers): .integers(indexes.map { integers[$0] })
            case .strings(let strings): .strings(indexes.map { strings[$0] })
            case .reals(let reals): .reals(indexes.map { reals[$0] })
            }
            kept[name] = filtered
        }
        return segment(siteID: siteID, columns: kept, rowCount: indexes.count)
    }

    /// `columns` with the zone map computed from their `ts` and `organisation` columns.
    static func segment(siteID: Int64, columns: [String: ColumnValues], rowCount: Int) -> ColumnSegment {
        var times: [Int64] = [], organisations: [String] = []
        if case .integers(let values) = columns["ts"] { times = values }
        if case .strings(let values) = columns["organisation"] { organisations = values }
        return ColumnSegment(
            kind: .events, siteID: siteID, rowCount: rowCount, columns: columns,
            minTime: times.min() ?? 0, maxTime: times.max() ?? 0,
            minOrganisation: organisations.min() ?? "", maxOrganisation: organisations.max() ?? "")
    }

    /// Rows as `SELECT * FROM events` would return them.
    static func rows(_ columns: [String: ColumnValues], count: Int) -> [Row] {
        (0..<count).map { index in
            var values: [String: (any DatabaseValueConvertible)?] = [:]
            for (name, column) in columns {
                switch column {
                case .integers(let integers): values[name] = integers[index]
                case .strings(let strings): values[name] = strings[index]
                case .reals(let reals): values[name] = reals[index]
                }
            }
            return Row(values)
        }
    }
}
