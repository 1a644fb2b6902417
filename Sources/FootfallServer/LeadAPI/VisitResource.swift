import FootfallCore

/// JSON shape of a visit in the Lead API.
struct VisitResource: Encodable {
    struct Page: Encodable {
        let path: String
        let viewed_at: String
        /// Until the next page view (or the visit's last event for the last page), ms.
        let time_on_page_ms: Int64
        let engaged_ms: Int64
        let max_scroll_percent: Int
    }

    let id: String
    let visitor: String
    let started_at: String
    let ended_at: String
    let entry_page: String
    let exit_page: String
    let pageviews: Int
    let pages: [Page]
    let engaged_ms: Int64
    let max_scroll_percent: Int
    let clicks: Int
    let custom_events: Int
    let referrer: String
    let medium: String
    let source: String
    let campaign: String
    let browser: String
    let browser_version: String
    let os: String
    let os_version: String
    let device: String
    let organisation: String
    let organisation_domain: String
    let network_type: String
    let country: String
    /// The region: from the visitor's consented geolocation when given, else from the IP data.
    let region: String

    init(_ visit: Visit) {
        id = String(visit.id)
        visitor = VisitorIDText.text(visit.visitorID)
        started_at = Timestamp.iso8601(visit.startedAt)
        ended_at = Timestamp.iso8601(visit.endedAt)
        entry_page = visit.entryPage
        exit_page = visit.exitPage
        pageviews = visit.pageviews
        let leaves = visit.pages.dropFirst().map(\.viewedAt) + [visit.endedAt]
        pages = zip(visit.pages, leaves).map { page, left in
            Page(path: page.path, viewed_at: Timestamp.iso8601(page.viewedAt), time_on_page_ms: max(0, left - page.viewedAt),
                 engaged_ms: page.engagedMs, max_scroll_percent: page.maxScrollPercent)
        }
        engaged_ms = visit.engagedMs
        max_scroll_percent = visit.maxScrollPercent
        clicks = visit.clicks
        custom_events = visit.customEvents
        referrer = visit.referrer
        medium = visit.source.medium.rawValue
        source = visit.source.source
        campaign = visit.source.campaign
        browser = visit.userAgent.browser
        browser_version = visit.userAgent.browserVersion
        os = visit.userAgent.os
        os_version = visit.userAgent.osVersion
        device = visit.userAgent.device.rawValue
        organisation = visit.network.organisation
        organisation_domain = visit.network.domain
        network_type = visit.network.networkType.rawValue
        country = visit.network.country
        region = visit.network.region
    }
}

/// One page of visits with the cursor for the next.
struct VisitPageResource: Encodable {
    let visits: [VisitResource]
    @Nullable var next_cursor: String?
}
