@testable import FootfallCore
import Foundation
import Testing

@Suite struct PersonalDataScrubberTests {
    static let cases = (try? Fixture.tsvRows("Privacy/scrub.tsv")) ?? []
    let scrubber = PersonalDataScrubber(stripParameters: ["Strip_Me"])

    @Test func fixtureTableIsLoaded() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func storesTheScrubbedForm(_ row: [String]) {
        let (kind, input, expected) = (row[0], row[1], row[2])
        let actual = switch kind {
        case "url": scrubber.scrub(url: input)
        case "props": scrubber.scrub(props: input)
        default: scrubber.scrub(text: input)
        }
        #expect(actual == expected, "\(kind) \(input)")
    }

    @Test(arguments: [
        "https://acme.com/a", "mailto:a@b.com", "a:b://c", "::/://x", ":/:/", "://", "x:/", "", "https:/", "ftp://",
        "é://ü", "https://acme.com/e\u{301}://x", "javascript:void(0)", "http:://x", "https:///path",
    ])
    func theSchemeSeparatorIsFoundWhereFoundationFindsIt(_ url: String) {
        #expect(URLParts.indexAfterSchemeSeparator(in: url) == url.range(of: "://")?.upperBound, "\(url)")
    }

    @Test func scrubbedURLsOfOnePageGroupUnderOnePath() {
        let first = URLParts(scrubber.scrub(url: "https://acme.com/invite/Xk9pL2mQ8rT4vW7yZ1aB?email=a%40b.com")).path
        let second = URLParts(scrubber.scrub(url: "https://acme.com/invite/Qw3eR5tY7uI9oP1aS2dF?email=c%40d.org")).path
        #expect(first == "/invite/REDACTED")
        #expect(first == second)
    }

    @Test func withoutTheSiteSettingAParameterIsKept() {
        #expect(PersonalDataScrubber().scrub(url: "https://acme.com/?strip_me=abc") == "https://acme.com/?strip_me=abc")
    }

    @Test func geolocationSnapsToTheSiteGrid() {
        let reading = GeoReading(latitude: 52.520_008, longitude: 13.404_954, accuracy: 12)
        let fine = PrivacySettings().rounded(reading)
        #expect(fine == GeoReading(latitude: 52.52, longitude: 13.40, accuracy: 1_113.2))
        let coarse = PrivacySettings(geoPrecision: 0.1).rounded(GeoReading(latitude: -33.868_82, longitude: 151.209_29, accuracy: 20_000))
        #expect(coarse == GeoReading(latitude: -33.9, longitude: 151.2, accuracy: 20_000))
    }

    @Test func privacySettingsAreSiteConfigKeys() throws {
        var site = Site(id: 1, tenantID: 1, key: "s_x", name: "Acme", domains: ["acme.com"])
        #expect(site.privacy.retentionDays == 396)
        site = try SiteConfigKey.apply(["strip_params=ref_code, Promo", "retention_days=30", "geo_precision=0.1"], to: site)
        #expect(site.privacy == PrivacySettings(stripParameters: ["ref_code", "promo"], retentionDays: 30, geoPrecision: 0.1))
        #expect(SiteConfigKey.retentionDays.value(in: site) == "30")
        #expect(throws: SiteConfigError.invalidValue(key: "retention_days", value: "0", expected: "a number of days from 1 to 3650")) {
            try SiteConfigKey.apply(["retention_days=0"], to: site)
        }
        #expect(throws: SiteConfigError.invalidValue(key: "geo_precision", value: "0.001", expected: "degrees from 0.01 to 10")) {
            try SiteConfigKey.apply(["geo_precision=0.001"], to: site)
        }
    }
}
