import FootfallCore
import Foundation
import Testing

/// The scoring formula, fixed by the cases in `Fixtures/leads/` (see its README).
@Suite struct LeadScorerGoldenTests {
    struct Case: Decodable {
        struct VisitSpec: Decodable {
            var visitor: Int64
            var start: String
            var minutes: Int64
            var pages: [String]
            var engaged_s: Int64
            var source: String
            var campaign: String?
            var network: NetworkSpec
        }
        struct NetworkSpec: Decodable {
            var organisation: String
            var domain: String
            var asn: Int
            var type: String
            var country: String
            var region: String?
            var city: String?
            var match_source: String
        }
        struct Expected: Decodable {
            var organisation: String
            var score: Int
            var visits: Int
            var returning_visits: Int
            var pageviews: Int
            var key_pages: [String: Int]
            var explanation: [[Value]]
        }
        enum Value: Decodable {
            case text(String), number(Int)
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Int.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
            }
            var text: String { if case .text(let text) = self { text } else { "" } }
            var number: Int { if case .number(let number) = self { number } else { .min } }
        }
        var now: String
        var settings: [String: String]
        var accounts: String?
        var visits: [VisitSpec]
        var expected: [Expected]
    }

    static let files: [String] = {
        let directory = Fixture.root.appendingPathComponent("leads")
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
    }()

    static func time(_ text: String) -> Int64 { Timestamp.parse(text)! }

    static func visits(_ specs: [Case.VisitSpec]) -> [Visit] {
        specs.enumerated().map { index, spec in
            let start = time(spec.start)
            let pages = spec.pages.enumerated().map { offset, path in
                VisitPage(path: path, viewedAt: start + Int64(offset) * 1000, pageLoadID: "p\(index)-\(offset)")
            }
            let parts = spec.source.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let network = NetworkInfo(
                organisation: spec.network.organisation, domain: spec.network.domain, asn: spec.network.asn,
                networkType: NetworkType(rawValue: spec.network.type)!, country: spec.network.country, storedIP: "",
                region: spec.network.region ?? "", city: spec.network.city ?? "",
                matchSource: LeadMatchSource(rawValue: spec.network.match_source)!)
            return Visit(
                id: Int64(index + 1), siteID: 1, visitorID: spec.visitor, startedAt: start,
                endedAt: start + spec.minutes * 60_000, pages: pages, engagedMs: spec.engaged_s * 1000,
                source: TrafficSource(medium: TrafficSource.Medium(rawValue: parts[0])!, source: parts[1], campaign: spec.campaign ?? ""),
                network: network)
        }
    }

    @Test func fixturesArePresent() {
        #expect(Self.files.contains("worked-example.json"))
        #expect(Self.files.count >= 5)
    }

    @Test(arguments: files) func golden(file: String) throws {
        let data = try Data(contentsOf: Fixture.root.appendingPathComponent("leads").appendingPathComponent(file))
        let spec = try JSONDecoder().decode(Case.self, from: data)
        let site = try SiteConfigKey.apply(
            spec.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
            to: Site(id: 1, tenantID: 1, key: "s_golden", name: "Golden", domains: ["example.com"]))
        let accounts = try spec.accounts.map { try AccountList.parse($0) } ?? []
        var accumulator = LeadAccumulator()
        accumulator.apply(upserted: Self.visits(spec.visits))
        let leads = accumulator.leads(
            settings: { _ in site.leads }, account: { domain in accounts.first { $0.domain == domain } },
            now: Self.time(spec.now))

        #expect(leads.count == spec.expected.count)
        for (lead, expected) in zip(leads, spec.expected) {
            #expect(lead.organisation == expected.organisation)
            #expect(lead.score == expected.score)
            #expect(lead.visits == expected.visits)
            #expect(lead.returningVisits == expected.returning_visits)
            #expect(lead.pageviews == expected.pageviews)
            #expect(lead.keyPages == expected.key_pages)
            let explanation = expected.explanation.map {
                ScoreContribution(signal: $0[0].text, value: $0[1].text, points: $0[2].number)
            }
            #expect(lead.scoreExplanation == explanation)
            #expect(lead.scoreExplanation.reduce(0) { $0 + $1.points } == lead.score)
        }
    }
}
