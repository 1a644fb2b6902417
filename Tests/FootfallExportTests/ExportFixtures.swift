import FootfallCore
import Foundation

/// The lead behind `Fixtures/crm/*.json`, and a reader for those files.
enum ExportFixtures {
    static let acme = Lead(
        id: "ld_00000000000000a1", siteID: 1, organisation: "Acme GmbH", domain: "acme.example", asn: 64501,
        networkType: .business, country: "DE", matchSource: .mmdb, confidence: .medium,
        firstSeen: 1_764_000_000_000, lastSeen: 1_764_400_000_000, visits: 3, visitors: 2, returningVisits: 1,
        pageviews: 7, engagedMs: 252_000, keyPages: ["/pricing*": 3, "/contact": 1],
        topPages: [LeadCount(name: "/pricing", count: 2), LeadCount(name: "/docs", count: 1)],
        sources: [LeadCount(name: "organic/Google", count: 2)], score: 42,
        scoreExplanation: [ScoreContribution(signal: "visits", value: "3", points: 42)],
        updatedAt: 1_764_400_000_000, changeSeq: 17)

    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/crm")

    /// The fixture `name` as a parsed JSON value.
    static func json(_ name: String) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent(name))) as! NSObject
    }

    static func parsed(_ data: Data) throws -> NSObject {
        try JSONSerialization.jsonObject(with: data) as! NSObject
    }
}
