import FootfallCore
@testable import FootfallServer
import FootfallStore
import Foundation
import Synchronization
import Testing

/// The lead rescore service with an injected clock: settings sync on every step, the decay
/// rescore once a day, announcing only leads whose score moved by at least 5 points.
@Suite struct LeadRescoreServiceTests {
    @Test func dailyRescoreAnnouncesDecayedLeadsAndSettingsSyncEveryStep() async throws {
        let directory = NSTemporaryDirectory() + "footfall-rescore-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let catalog = try Catalog(path: directory + "/catalog.sqlite")
        let tenant = try await catalog.tenant(named: "t")
        var site = try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.com"])
        var traffic = TrafficGenerator.Configuration(pageviews: 800)
        traffic.siteID = site.id
        traffic.organisations = 20
        traffic.meanVisitGapMs = 10_000
        let events = TrafficGenerator.events(traffic).filter { !$0.userAgent.isBot }
        let clock = Mutex(events.last!.timestamp)
        let now: @Sendable () -> Int64 = { clock.withLock { $0 } }
        let store = try SQLiteEventStore(path: directory + "/events.sqlite", clock: now)
        var service = LeadRescoreService(store: store, catalog: catalog, clock: now)
        try await service.step()
        _ = try await store.append(events)
        let fresh = try await store.leadChanges(tenantID: tenant.id, siteID: nil, after: 0, limit: 1000)
        #expect(fresh.count > 5)
        let cursor = fresh.map(\.changeSeq).max()!

        clock.withLock { $0 += 23 * 3_600_000 }
        #expect(try await service.step() == 0, "less than a day since the last rescore")
        clock.withLock { $0 += 3_600_000 }
        let bumped = try await service.step()
        let changes = try await store.leadChanges(tenantID: tenant.id, siteID: nil, after: cursor, limit: 1000)
        #expect(bumped == changes.count)
        #expect(changes.allSatisfy { lead in fresh.first { $0.id == lead.id }!.score - lead.score >= 5 })
        #expect(try await service.step() == 0, "the next rescore is a day later")

        clock.withLock { $0 += 30 * Timestamp.msPerDay }
        #expect(try await service.step() > 0, "a month later most leads have cooled down")

        site.leads.halfLifeDays = 1
        try await catalog.updateSettings(of: site)
        let resynced = try await service.step()
        #expect(resynced > 0, "a settings change re-scores the site's leads on the next step")
        let latest = try await store.leadChanges(tenantID: tenant.id, siteID: site.id, after: 0, limit: 1000)
        #expect(latest.allSatisfy { lead in lead.scoreExplanation.allSatisfy { !$0.value.contains("half-life 14d") } })
    }
}
