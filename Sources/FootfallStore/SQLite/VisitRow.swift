import Foundation
import FootfallCore
import GRDB

/// How a ``Visit`` is written to and read from the `visits` table.
enum VisitRow {
    static let upsertSQL = """
        INSERT OR REPLACE INTO visits (
            id, site_id, visitor_id, started_at, ended_at, entry_page, exit_page, pageviews, pages,
            engaged_ms, max_scroll, clicks, custom_events, referrer, medium, source, campaign,
            browser, browser_version, os, os_version, device, organisation, org_domain, asn,
            network_type, country, region, city, match_source
        ) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
        """

    static func arguments(_ visit: Visit) throws -> StatementArguments {
        let pages = VisitPagesJSON.encode(visit.pages)
        let values: [(any DatabaseValueConvertible)?] = [
            visit.id, visit.siteID, visit.visitorID, visit.startedAt, visit.endedAt, visit.entryPage,
            visit.exitPage, visit.pageviews, pages, visit.engagedMs, visit.maxScrollPercent, visit.clicks,
            visit.customEvents, visit.referrer, visit.source.medium.rawValue, visit.source.source,
            visit.source.campaign, visit.userAgent.browser, visit.userAgent.browserVersion,
            visit.userAgent.os, visit.userAgent.osVersion, visit.userAgent.device.rawValue,
            visit.network.organisation, visit.network.domain, visit.network.asn,
            visit.network.networkType.rawValue, visit.network.country, visit.network.region, visit.network.city,
            visit.network.matchSource.rawValue,
        ]
        return StatementArguments(values)
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
