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

/// Journeys through a site's `www.`/bare twins and payment or sign-in hops stay one visit.
@Suite struct AttributionJourneyTests {
    typealias F = EventFixtures

    static func pageview(
        _ id: String, at minutes: Double, url: String, referrer: String, site: Site
    ) -> Event {
        var event = F.pageview(id, at: minutes, path: URLParts(url).path)
        event.url = url
        event.referrer = referrer
        event.source = ReferrerClassifier().classify(
            url: url, referrer: referrer, siteDomains: site.domains, exclusions: site.tracker.referralExclusions)
        return event
    }

    @Test func wwwAndBareDomainsAreOneSite() {
        let site = Site(id: 1, tenantID: 1, key: "k", name: "Shop", domains: ["www.shop2.example"])
        let visits = Sessionizer.visits(from: [
            Self.pageview("a", at: 0, url: "https://shop2.example/blog/post", referrer: "https://www.google.com/", site: site),
            Self.pageview("b", at: 1, url: "https://www.shop2.example/pricing", referrer: "https://shop2.example/blog/post", site: site),
        ])
        #expect(visits.count == 1)
        #expect(visits.first?.pageviews == 2)
        #expect(visits.first?.source.source == "Google")
        #expect(visits.first?.source.medium == .search)
    }

    @Test func aPaymentHopKeepsTheVisitAndItsCampaign() {
        let site = Site(id: 1, tenantID: 1, key: "k", name: "Shop", domains: ["shop.example"])
        let visits = Sessionizer.visits(from: [
            Self.pageview("a", at: 0, url: "https://shop.example/cart?utm_source=newsletter&utm_medium=email&utm_campaign=spring",
                          referrer: "", site: site),
            Self.pageview("b", at: 1, url: "https://shop.example/checkout", referrer: "https://shop.example/cart", site: site),
            Self.pageview("c", at: 4, url: "https://shop.example/thank-you", referrer: "https://www.paypal.com/", site: site),
        ])
        #expect(visits.count == 1)
        #expect(visits.first?.pages.map(\.path) == ["/cart", "/checkout", "/thank-you"])
        #expect(visits.first?.source == TrafficSource(medium: .email, source: "newsletter", campaign: "spring"))
    }

    @Test func aSiteAddsItsOwnReferralExclusions() throws {
        var site = Site(id: 1, tenantID: 1, key: "k", name: "Shop", domains: ["shop.example"])
        let hop = "https://pay.shop-bank.example/3ds"
        #expect(ReferrerClassifier().classify(url: "https://shop.example/done", referrer: hop, siteDomains: site.domains).medium
                == .referral)
        site = try SiteConfigKey.apply(["referral_exclusions=shop-bank.example, Auth.Partner.example"], to: site)
        #expect(site.tracker.referralExclusions == ["shop-bank.example", "auth.partner.example"])
        let source = ReferrerClassifier().classify(
            url: "https://shop.example/done", referrer: hop, siteDomains: site.domains, exclusions: site.tracker.referralExclusions)
        #expect(source == .direct)
        #expect(throws: SiteConfigError.self) { try SiteConfigKey.apply(["referral_exclusions=not a host"], to: site) }
    }
}
