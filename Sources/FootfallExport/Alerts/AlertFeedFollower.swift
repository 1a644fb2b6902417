import FootfallCore
import FootfallStore
import Foundation

/// Turns lead changes into queued alert deliveries: follows every tenant's lead change feed
/// after its alert checkpoint, compares each changed lead with the state it saw last, and
/// queues a delivery for every rule of the lead's site that fires
/// (``AlertTrigger/match(previous:current:)``).
///
/// Each feed page is committed at once — deliveries, new lead states, checkpoint — so a
/// crash re-reads the page and queues nothing twice (delivery ids are stable). Ingest never
/// waits for it: it reads the feed after the visit commit.
public struct AlertFeedFollower: Sendable {
    let feed: any LeadChangeFeed
    let catalog: Catalog
    /// Changes read per feed request.
    var pageSize = 500
    /// Stamps queued deliveries, ms since the epoch.
    let clock: @Sendable () -> Int64

    /// - Parameters:
    ///   - feed: the lead store's change feed.
    ///   - catalog: rules, checkpoints, lead states and the delivery queue.
    ///   - clock: the time queued deliveries are stamped with, ms since the epoch.
    public init(feed: any LeadChangeFeed, catalog: Catalog, clock: @escaping @Sendable () -> Int64 = { Timestamp.nowMs() }) {
        self.feed = feed
        self.catalog = catalog
        self.clock = clock
    }

    /// Processes every tenant's changes up to the end of its feed. The very first call only
    /// records the leads' states (the baseline): history does not alert.
    /// - Returns: how many deliveries were queued.
    /// - Throws: the feed's or the catalog's storage errors (the page in hand is re-read next time).
    @discardableResult
    public func follow() async throws -> Int {
        let alerting = try await catalog.isAlertBaselineComplete()
        let rules = try await alerting ? catalog.alertRules() : []
        var queued = 0
        for tenantID in Set(try await catalog.sites().map(\.tenantID)).sorted() {
            queued += try await follow(tenantID: tenantID, rules: rules.filter { $0.tenantID == tenantID })
        }
        if !alerting { try await catalog.completeAlertBaseline() }
        return queued
    }

    func follow(tenantID: Int64, rules: [AlertRule]) async throws -> Int {
        var cursor = try await catalog.alertFeedCheckpoint(tenantID: tenantID)
        var queued = 0
        while true {
            let page = try await feed.leadChanges(tenantID: tenantID, siteID: nil, after: cursor, limit: pageSize)
            guard let last = page.last else { break }
            let previous = try await catalog.alertLeadSnapshots(leadIDs: page.map(\.id))
            var snapshots: [String: LeadSnapshot] = [:]
            var deliveries: [AlertDelivery] = []
            let now = clock()
            for lead in page {
                for rule in rules where rule.siteID == lead.siteID {
                    guard let match = rule.trigger.match(previous: previous[lead.id], current: lead) else { continue }
                    deliveries.append(AlertDelivery(
                        id: AlertDelivery.id(tenantID: tenantID, rule: rule.name, leadID: lead.id, changeSeq: lead.changeSeq),
                        tenantID: tenantID, rule: rule.name, siteID: lead.siteID, leadID: lead.id, changeSeq: lead.changeSeq,
                        reason: match.reason, lead: String(decoding: try LeadJSON.encode(lead), as: UTF8.self), createdAt: now))
                }
                snapshots[lead.id] = LeadSnapshot(lead)
            }
            try await catalog.advanceAlertFeed(tenantID: tenantID, through: last.changeSeq, snapshots: snapshots, deliveries: deliveries)
            queued += deliveries.count
            cursor = last.changeSeq
            if page.count < pageSize { break }
        }
        return queued
    }
}
