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

    /// Executes `insert` (``insertSQL``, prepared) for `event`.
    /// - Throws: the `DatabaseError` of a failed step.
    static func insert(_ event: Event, _ insert: Statement) throws {
        var row = RowBinder(insert)
        row.add(event.siteID); row.add(event.id); row.add(event.visitorID); row.add(event.type.rawValue)
        row.add(event.timestamp); row.add(event.url); row.add(event.path); row.add(event.referrer)
        row.add(event.pageLoadID); row.add(event.isSPANavigation)
        row.add(event.screen.width); row.add(event.screen.height)
        row.add(event.screen.viewportWidth); row.add(event.screen.viewportHeight)
        row.add(event.language); row.add(event.timeZone); row.add(event.engagedMs); row.add(event.maxScrollPercent)
        row.add(event.clickTarget); row.add(event.customName); row.add(event.customProps)
        row.add(event.geo?.latitude); row.add(event.geo?.longitude); row.add(event.geo?.accuracy)
        row.add(event.userAgent.browser); row.add(event.userAgent.browserVersion); row.add(event.userAgent.os)
        row.add(event.userAgent.osVersion); row.add(event.userAgent.device.rawValue); row.add(event.userAgent.isBot)
        row.add(event.source.medium.rawValue); row.add(event.source.source); row.add(event.source.campaign)
        row.add(event.network.organisation); row.add(event.network.domain); row.add(event.network.asn)
        row.add(event.network.networkType.rawValue); row.add(event.network.country); row.add(event.network.storedIP)
        row.add(event.network.region); row.add(event.network.city); row.add(event.network.matchSource.rawValue)
        try row.execute()
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
