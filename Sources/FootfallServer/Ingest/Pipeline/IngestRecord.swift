import FootfallCore
import FootfallEnrich
import FootfallStore

/// One beacon request on its way through the ``IngestPipeline``: the beacons, what the
/// request said, the resolved site, and the event being built for each beacon still kept.
struct IngestRecord {
    /// A beacon and the event built from it.
    struct Item {
        let beacon: Beacon
        var event: Event
    }

    let request: BeaconRequest
    let site: Site
    /// The visitor-hash salts in use (yesterday's too during the grace window after midnight).
    let salts: VisitorSalts
    var userAgent: UserAgentInfo = .unknown
    var network: NetworkInfo = .unknown
    /// Kept beacons, in batch order.
    var items: [Item]
    /// Events dropped so far, by reason.
    var dropped: [DropReason: Int] = [:]

    init(beacons: [Beacon], request: BeaconRequest, site: Site, salts: VisitorSalts) {
        self.request = request
        self.site = site
        self.salts = salts
        // Visits order events by (time, id); stamping the n-th event of a batch n ms later
        // keeps the batch's order (≤ 50 events, so ≤ 49 ms).
        items = beacons.enumerated().map { index, beacon in
            Item(beacon: beacon, event: Event(
                id: beacon.id, siteID: site.id, visitorID: 0, type: beacon.type, timestamp: request.receivedAt + Int64(index),
                url: beacon.url, path: PagePath.of(url: beacon.url, hashRouting: site.tracker.hashRouting), referrer: beacon.referrer,
                pageLoadID: beacon.pageLoadID, isSPANavigation: beacon.isSPANavigation, screen: beacon.screen,
                language: beacon.language, timeZone: beacon.timeZone, engagedMs: beacon.engagedMs,
                maxScrollPercent: beacon.maxScrollPercent, clickTarget: beacon.clickTarget,
                customName: beacon.customName, customProps: beacon.customProps, geo: beacon.geo,
                userAgent: .unknown, network: .unknown))
        }
    }

    /// The events still kept.
    var events: [Event] { items.map(\.event) }

    /// Drops every kept event for `reason`.
    mutating func dropAll(_ reason: DropReason) {
        guard !items.isEmpty else { return }
        dropped[reason, default: 0] += items.count
        items = []
    }

    /// Drops the kept events `shouldDrop` selects for `reason`.
    mutating func drop(_ reason: DropReason, where shouldDrop: (Item) -> Bool) {
        let before = items.count
        items.removeAll(where: shouldDrop)
        if items.count < before { dropped[reason, default: 0] += before - items.count }
    }
}
