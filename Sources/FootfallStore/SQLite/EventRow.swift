import FootfallCore
import GRDB

/// How an ``Event`` is written to the `events` table.
enum EventRow {
    static let insertSQL = """
        INSERT OR IGNORE INTO events (
            site_id, event_id, visitor_id, type, ts, url, path, referrer, page_load_id, spa,
            screen_w, screen_h, viewport_w, viewport_h, language, time_zone, engaged_ms, max_scroll,
            click_target, custom_name, custom_props, geo_lat, geo_lon, geo_accuracy,
            browser, browser_version, os, os_version, device, is_bot, medium, source, campaign,
            organisation, org_domain, asn, network_type, country, stored_ip, region, city, match_source
        ) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
        """

    static func arguments(_ event: Event) -> StatementArguments {
        let values: [(any DatabaseValueConvertible)?] = [
            event.siteID, event.id, event.visitorID, event.type.rawValue, event.timestamp, event.url,
            event.path, event.referrer, event.pageLoadID, event.isSPANavigation,
            event.screen.width, event.screen.height, event.screen.viewportWidth, event.screen.viewportHeight,
            event.language, event.timeZone, event.engagedMs, event.maxScrollPercent,
            event.clickTarget, event.customName, event.customProps,
            event.geo?.latitude, event.geo?.longitude, event.geo?.accuracy,
            event.userAgent.browser, event.userAgent.browserVersion, event.userAgent.os,
            event.userAgent.osVersion, event.userAgent.device.rawValue, event.userAgent.isBot,
            event.source.medium.rawValue, event.source.source, event.source.campaign,
            event.network.organisation, event.network.domain, event.network.asn,
            event.network.networkType.rawValue, event.network.country, event.network.storedIP,
            event.network.region, event.network.city, event.network.matchSource.rawValue,
        ]
        return StatementArguments(values)
    }

    /// Reads an event back from a `SELECT * FROM events` row.
    static func event(from row: Row) -> Event {
        var geo: GeoReading?
        if let latitude = row["geo_lat"] as Double?, let longitude = row["geo_lon"] as Double? {
            geo = GeoReading(latitude: latitude, longitude: longitude, accuracy: row["geo_accuracy"] ?? 0)
        }
        return Event(
            id: row["event_id"], siteID: row["site_id"], visitorID: row["visitor_id"],
            type: EventType(rawValue: row["type"]) ?? .custom, timestamp: row["ts"], url: row["url"],
            path: row["path"], referrer: row["referrer"], pageLoadID: row["page_load_id"],
            isSPANavigation: row["spa"],
            screen: ScreenSize(
                width: row["screen_w"], height: row["screen_h"],
                viewportWidth: row["viewport_w"], viewportHeight: row["viewport_h"]),
            language: row["language"], timeZone: row["time_zone"], engagedMs: row["engaged_ms"],
            maxScrollPercent: row["max_scroll"], clickTarget: row["click_target"],
            customName: row["custom_name"], customProps: row["custom_props"], geo: geo,
            userAgent: UserAgentInfo(
                browser: row["browser"], browserVersion: row["browser_version"], os: row["os"],
                osVersion: row["os_version"], device: DeviceClass(rawValue: row["device"]) ?? .other,
                isBot: row["is_bot"]),
            source: TrafficSource(
                medium: TrafficSource.Medium(rawValue: row["medium"]) ?? .direct, source: row["source"],
                campaign: row["campaign"]),
            network: NetworkInfo(
                organisation: row["organisation"], domain: row["org_domain"], asn: row["asn"],
                networkType: NetworkType(rawValue: row["network_type"]) ?? .unknown,
                country: row["country"], storedIP: row["stored_ip"],
                // Absent from segments compacted before these columns existed.
                region: row["region"] ?? "", city: row["city"] ?? "",
                matchSource: (row["match_source"] as String?).flatMap(LeadMatchSource.init) ?? .unknown))
    }
}
