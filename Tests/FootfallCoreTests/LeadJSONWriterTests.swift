@testable import FootfallCore
import Foundation
import Testing

/// The hand-written lead document is byte for byte what `JSONEncoder` makes of it, over
/// generated leads (with key pages and accounts) and over leads holding every awkward
/// character a name or path can carry.
@Suite struct LeadJSONWriterTests {
    static func viaEncoder(_ lead: Lead) throws -> String {
        String(decoding: try LeadJSON.encoder().encode(LeadJSON.Document(lead: lead)), as: UTF8.self)
    }

    static func written(_ lead: Lead) throws -> String {
        String(decoding: try LeadJSONWriter.write(lead), as: UTF8.self)
    }

    @Test(arguments: LeadAccumulatorTests.seeds) func generatedLeadsMatchTheEncoder(seed: UInt64) throws {
        let (accumulator, _) = LeadAccumulatorTests.live(LeadAccumulatorTests.stream(seed: seed))
        let leads = accumulator.leads(
            account: { domain in Account(domain: domain, name: "Acct \(domain)", employees: 40, tier: "1") },
            now: LeadAccumulatorTests.now)
        #expect(leads.count > 3)
        #expect(leads.contains { $0.account != nil })
        #expect(leads.contains { !$0.keyPages.isEmpty })
        for lead in leads {
            #expect(try Self.written(lead) == (try Self.viaEncoder(lead)))
        }
    }

    @Test func awkwardTextMatchesTheEncoder() throws {
        let controls = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let awkward = "q\"uo\\te /slash/ \(controls) \u{7f} \u{2028}\u{2029} ünï 日本 😀"
        let lead = Lead(
            id: "ld_\(awkward)", siteID: .max, organisation: awkward, domain: "d/\(awkward)", asn: -1,
            networkType: .education, country: awkward, region: "", city: awkward, matchSource: .customRange,
            confidence: .high, firstSeen: .min, lastSeen: .max, visits: 3, visitors: 2, returningVisits: 1,
            pageviews: 9, engagedMs: -5, keyPages: ["/a10*": 1, "/a9*": 2, "/B": 3, "/b": 4, "/_x": 5, awkward: 6, "": 7],
            topPages: [LeadCount(name: awkward, count: 2), LeadCount(name: "", count: 0)],
            sources: [LeadCount(name: "direct/", count: 1)], campaigns: [],
            account: Account(domain: awkward, name: awkward, industry: "", employees: .max, owner: "o@x", tier: awkward),
            score: 100, scoreExplanation: [ScoreContribution(signal: "key_page:\(awkward)", value: awkward, points: -7)],
            updatedAt: 0, changeSeq: .max)
        #expect(try Self.written(lead) == (try Self.viaEncoder(lead)))
        var bare = lead
        bare.account = nil
        bare.keyPages = [:]
        bare.scoreExplanation = []
        bare.topPages = []
        #expect(try Self.written(bare) == (try Self.viaEncoder(bare)))
    }
}
