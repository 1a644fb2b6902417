import FootfallCore
import Testing

/// Table-driven over `Fixtures/Referrers/referrers.tsv`: real-shaped landing URLs and referrers.
@Suite struct ReferrerCorpusTests {
    static let siteDomains = ["acme.com", "acme.io"]

    static func rows() throws -> [[String]] {
        try Fixture.tsvRows("Referrers/referrers.tsv")
    }

    @Test func fixtureHasEnoughCases() throws {
        #expect(try Self.rows().count >= 200)
    }

    @Test(arguments: try rows())
    func classifiesReferrer(_ row: [String]) throws {
        try #require(row.count == 5, "malformed fixture row \(row)")
        let result = ReferrerClassifier().classify(url: row[0], referrer: row[1], siteDomains: Self.siteDomains)
        let expected = try #require(TrafficSource.Medium(rawValue: row[2]))
        #expect(result.medium == expected, "\(row[0]) ← \(row[1])")
        #expect(result.source == row[3], "\(row[0]) ← \(row[1])")
        #expect(result.campaign == row[4], "\(row[0]) ← \(row[1])")
    }

    @Test func keepsUTMTermAndContent() {
        let result = ReferrerClassifier().classify(
            url: "https://acme.com/?utm_source=google&utm_medium=cpc&utm_campaign=brand&utm_term=crm%20tool&utm_content=ad-b",
            referrer: "", siteDomains: Self.siteDomains)
        #expect(result == TrafficSource(medium: .paid, source: "Google", campaign: "brand", term: "crm tool", content: "ad-b"))
    }
}
