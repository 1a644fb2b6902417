import FootfallCore
import FootfallStore
import Foundation
import Testing

@testable import FootfallExport

/// The alert service's two halves over a real catalog: following the change feed into the
/// delivery queue, and attempting deliveries (against a closed loopback port).
@Suite struct AlertFeedFollowerTests {
    struct Setup {
        let store: TemporaryCatalog
        let feed: InMemoryLeadChangeFeed
        let follower: AlertFeedFollower
        let site: Site
    }

    func setup(leads: [Lead] = []) async throws -> Setup {
        let store = try TemporaryCatalog()
        let tenant = try await store.catalog.tenant(named: "default")
        let site = try await store.catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.test"])
        let feed = InMemoryLeadChangeFeed(leads)
        return Setup(store: store, feed: feed, follower: AlertFeedFollower(feed: feed, catalog: store.catalog, clock: { 1_000 }), site: site)
    }

    func lead(_ seq: Int64, site: Int64, score: Int, pageviews: Int) -> Lead {
        Lead(id: "ld_00000000000000a1", siteID: site, organisation: "Acme GmbH", domain: "acme.example", networkType: .business,
             firstSeen: 1, lastSeen: 100, visits: 1, pageviews: pageviews, score: score, changeSeq: seq)
    }

    @Test func historyIsABaselineThenEachCrossingQueuesOneDeliveryOnce() async throws {
        let setup = try await setup()
        let catalog = setup.store.catalog
        setup.feed.leads = [lead(1, site: setup.site.id, score: 80, pageviews: 3)]
        try await catalog.saveAlertRule(AlertRule(
            tenantID: setup.site.tenantID, name: "hot", siteID: setup.site.id, trigger: .scoreAbove(60), channel: "webhook",
            settings: ["url": "http://127.0.0.1:1/", "secret_env": "HOOK"]))
        // First run: existing leads are recorded, not alerted.
        #expect(try await setup.follower.follow() == 0)
        #expect(try await catalog.alertFeedCheckpoint(tenantID: setup.site.tenantID) == 1)

        // Cools down (a rescore), then new activity lifts it above 60 again: one delivery.
        setup.feed.leads = [lead(2, site: setup.site.id, score: 50, pageviews: 3)]
        #expect(try await setup.follower.follow() == 0)
        setup.feed.leads.append(lead(3, site: setup.site.id, score: 66, pageviews: 4))
        #expect(try await setup.follower.follow() == 1)
        #expect(try await setup.follower.follow() == 0)
        let log = try await catalog.alertDeliveries(tenantID: setup.site.tenantID, limit: 10)
        #expect(log.count == 1)
        let delivery = try #require(log.first)
        #expect(delivery.id == AlertDelivery.id(tenantID: setup.site.tenantID, rule: "hot", leadID: "ld_00000000000000a1", changeSeq: 3))
        #expect((delivery.status, delivery.attempts, delivery.nextAttemptAt) == (.pending, 0, 1_000))
        #expect(delivery.reason == "score rose from 50 to 66 (above 60)")
        let carried = try JSONSerialization.jsonObject(with: Data(delivery.lead.utf8)) as? [String: Any]
        #expect(carried?["target_account"] as? Bool == false && carried?["change_seq"] as? Int == 3)

        // Queuing the same change again (a page re-read after a crash) keeps one delivery.
        try await catalog.advanceAlertFeed(
            tenantID: setup.site.tenantID, through: 3, snapshots: [:], deliveries: [delivery])
        #expect(try await catalog.alertDeliveries(tenantID: setup.site.tenantID, limit: 10).count == 1)
    }

    @Test func attemptsAreRecordedWithBackoffAndWithoutSecrets() async throws {
        let setup = try await setup()
        let catalog = setup.store.catalog
        let rule = AlertRule(
            tenantID: setup.site.tenantID, name: "chat", siteID: setup.site.id, trigger: .scoreAbove(10), channel: "slack",
            settings: ["slack_url_env": "CHAT_URL"])
        try await catalog.saveAlertRule(rule)
        let delivery = AlertSample.delivery(for: rule, now: 1_000)
        try await catalog.advanceAlertFeed(tenantID: setup.site.tenantID, through: 0, snapshots: [:], deliveries: [delivery])
        // Port 1 on loopback refuses connections: no answer, retried later.
        let secretURL = "http://127.0.0.1:1/services/T0/B0/s3cret"
        let dispatcher = AlertDispatcher(
            catalog: catalog, environment: ["CHAT_URL": secretURL], retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: 1),
            timeout: 2, clock: { 1_000 })
        #expect(try await dispatcher.deliverDue() == 1)
        var logged = try #require(try await catalog.alertDeliveries(tenantID: setup.site.tenantID, limit: 1).first)
        #expect((logged.status, logged.attempts, logged.httpStatus) == (.pending, 1, nil))
        #expect(!logged.lastError.isEmpty && !logged.lastError.contains("s3cret"))
        #expect((1_000...2_000).contains(logged.nextAttemptAt ?? 0))

        // Second and last attempt, due once the backoff passed: the delivery fails for good.
        let later = AlertDispatcher(
            catalog: catalog, environment: ["CHAT_URL": secretURL], retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: 1),
            timeout: 2, clock: { 5_000 })
        #expect(try await later.deliverDue() == 1)
        logged = try #require(try await catalog.alertDeliveries(tenantID: setup.site.tenantID, limit: 1).first)
        #expect((logged.status, logged.attempts, logged.nextAttemptAt) == (.failed, 2, nil))
        #expect(try await later.deliverDue() == 0)
    }

    @Test func aMissingSecretIsRetriedAndARemovedRuleCancelsItsQueue() async throws {
        let setup = try await setup()
        let catalog = setup.store.catalog
        let rule = AlertRule(
            tenantID: setup.site.tenantID, name: "hook", siteID: setup.site.id, trigger: .keyPage(nil), channel: "webhook",
            settings: ["url": "http://127.0.0.1:1/", "secret_env": "HOOK_SECRET"])
        try await catalog.saveAlertRule(rule)
        try await catalog.advanceAlertFeed(
            tenantID: setup.site.tenantID, through: 0, snapshots: [:], deliveries: [AlertSample.delivery(for: rule, now: 1_000)])
        let dispatcher = AlertDispatcher(catalog: catalog, environment: [:], clock: { 1_000 })
        try await dispatcher.deliverDue()
        let logged = try #require(try await catalog.alertDeliveries(tenantID: setup.site.tenantID, limit: 1).first)
        #expect(logged.status == .pending && logged.lastError.contains("HOOK_SECRET"))

        try await catalog.removeAlertRule(tenantID: setup.site.tenantID, name: "hook")
        #expect(try await catalog.alertDeliveries(tenantID: setup.site.tenantID, limit: 1).first?.status == .cancelled)
        await #expect(throws: CatalogError.unknownAlert("hook")) {
            try await catalog.removeAlertRule(tenantID: setup.site.tenantID, name: "hook")
        }
    }
}
