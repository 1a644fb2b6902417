import FootfallCore
@testable import FootfallStore
import Foundation
import GRDB
import Testing

/// Retention and data-subject requests over hot rows and columnar segments together.
@Suite struct DataLifecycleTests {
    static let day = Timestamp.dayMs
    static let start: Int64 = 1_700_000_000_000
    static let acme = NetworkInfo(organisation: "Acme", domain: "acme.com", asn: 64_500, networkType: .business, country: "DE", storedIP: "203.0.113.0")
    static let globex = NetworkInfo(organisation: "Globex", domain: "globex.org", asn: 64_501, networkType: .business, country: "FR", storedIP: "198.51.100.0")

    let directory: TemporaryDirectory
    let catalog: Catalog
    let store: SQLiteEventStore
    let lifecycle: DataLifecycle
    let site: Site

    init() async throws {
        directory = try TemporaryDirectory()
        catalog = try Catalog(path: directory.path + "/catalog.sqlite")
        store = try SQLiteEventStore(path: directory.path + "/events.sqlite")
        lifecycle = DataLifecycle(catalog: catalog, store: store)
        let tenant = try await catalog.tenant(named: "t")
        site = try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["example.com"])
    }

    /// Two page views per visit; visitor 1 from Acme, visitor 2 from Globex, on `days` days.
    func events(visitor: VisitorID, network: NetworkInfo, days: [Int64]) -> [Event] {
        days.flatMap { day in
            (0..<2).map { index in
                Event(
                    id: "v\(visitor)-d\(day)-\(index)", siteID: site.id, visitorID: visitor, type: .pageview,
                    timestamp: Self.start + day * Self.day + Int64(index) * 60_000,
                    url: "https://example.com/p\(index)", path: "/p\(index)", network: network)
            }
        }
    }

    func storeTraffic() async throws -> (acme: [Event], globex: [Event]) {
        let acme = events(visitor: 1, network: Self.acme, days: [0, 1, 2])
        let globex = events(visitor: 2, network: Self.globex, days: [0, 1, 2])
        _ = try await store.append(acme.filter { $0.timestamp < Self.start + 2 * Self.day } + globex.filter { $0.timestamp < Self.start + 2 * Self.day })
        // Days 0 and 1 go to columnar segments; day 2 stays hot.
        try await store.compact(now: Self.start + 2 * Self.day - 1)
        _ = try await store.append(acme.filter { $0.timestamp >= Self.start + 2 * Self.day } + globex.filter { $0.timestamp >= Self.start + 2 * Self.day })
        #expect(try await store.segments(siteID: site.id, kind: .events).count == 1)
        return (acme, globex)
    }

    @Test func portabilityReturnsEveryEventAndVisitOfTheSubjectHotAndCold() async throws {
        let (acme, _) = try await storeTraffic()
        let document = try await lifecycle.export(DataSubject(siteID: site.id, selector: .visitor(1)), of: site, actor: "test")
        #expect(document.events.map(\.id) == acme.map(\.id))
        #expect(document.events.allSatisfy { $0.network == Self.acme })
        #expect(document.visits.count == 3)
        #expect(document.visits.map(\.pageviews) == [2, 2, 2])
        #expect(document.receipt.hasPrefix("rcpt_"))
        let audit = try await catalog.auditLog(tenantID: site.tenantID)
        #expect(audit.first?.action == "privacy.export")
        #expect(audit.first?.detail.contains(document.receipt) == true)
        #expect(audit.first?.detail.contains("6 events, 3 visits") == true)
    }

    @Test(arguments: [
        DataSubject.Selector.visitor(1),
        .organisation(domain: "acme.com"),
        .storedIP(description: "203.0.113.77/32") { $0 == "203.0.113.0" },
    ])
    func erasureRemovesTheSubjectEverywhereAndKeepsEveryoneElse(_ selector: DataSubject.Selector) async throws {
        let (acme, globex) = try await storeTraffic()
        let subject = DataSubject(siteID: site.id, selector: selector)
        let result = try await lifecycle.erase(subject, of: site, actor: "test")
        #expect(result.events == acme.count)
        #expect(result.visits == 3)
        #expect(result.segmentsRewritten == 2)

        let remaining = try await store.events(siteID: site.id).rows
        #expect(remaining.map(\.id) == globex.map(\.id))
        var visits: [Visit] = []
        _ = try await store.exportVisits(AnalyticsRange(siteID: site.id, from: 0, to: .max)) { visits.append($0) }
        #expect(visits.map(\.visitorID) == [2, 2, 2])
        let after = try await store.subjectData(subject)
        #expect(after.events.isEmpty && after.visits.isEmpty)
        #expect(try await store.checkSegments().problems.isEmpty)
        // Nothing of the subject is left in the file either (VACUUM rewrote it).
        let bytes = [UInt8](FileManager.default.contents(atPath: directory.path + "/events.sqlite") ?? Data())
        #expect(bytes.firstRange(of: Array("v1-d2-0".utf8)) == nil)
        #expect(bytes.firstRange(of: Array("v2-d2-0".utf8)) != nil)
        let audit = try await catalog.auditLog(tenantID: site.tenantID)
        #expect(audit.first?.action == "privacy.erase")
        #expect(audit.first?.detail.contains(result.receipt) == true)
    }

    @Test func retentionDropsExpiredSegmentsAndHotRowsPerSite() async throws {
        _ = try await storeTraffic()
        var short = site
        short.privacy.retentionDays = 1
        try await catalog.updateSettings(of: short)
        // Keeping one day at day 2.5: both segments (days 0 and 1) are wholly expired and
        // dropped unread; day 2's hot rows stay until a day later.
        let reports = try await lifecycle.enforceRetention(now: Self.start + 2 * Self.day + Self.day / 2, actor: "test")
        #expect(reports.map(\.siteKey) == [site.key])
        #expect(reports[0].removed == { var removed = RetentionResult(); removed.segments = 2; return removed }())
        let remaining = try await store.events(siteID: site.id).rows
        #expect(Set(remaining.map(\.timestamp)).allSatisfy { $0 >= Self.start + 2 * Self.day })
        #expect(remaining.count == 4)
        #expect(try await catalog.auditLog(tenantID: site.tenantID).first?.action == "retention")

        let later = try await lifecycle.enforceRetention(now: Self.start + 4 * Self.day, actor: "test")
        #expect(later[0].removed.hotEvents == 4)
        #expect(later[0].removed.hotVisits == 2)
        #expect(try await store.events(siteID: site.id).rows.isEmpty)
    }
}
