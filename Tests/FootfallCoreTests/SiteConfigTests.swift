import FootfallCore
import Foundation
import Testing

@Suite struct SiteConfigTests {
    static let site = Site(id: 1, tenantID: 1, key: "s_test", name: "Acme", domains: ["acme.com"])

    @Test(arguments: [
        ("/admin/*", "/admin/users", true), ("/admin/*", "/admin/", true), ("/admin/*", "/admin", false),
        ("/preview*", "/preview-42/x", true), ("*/print", "/docs/a/print", true), ("*/print", "/print/x", false),
        ("/a*b*c", "/axxbyyc", true), ("/a*b*c", "/axxcyyb", false), ("/exact", "/exact", true),
        ("/exact", "/exact/", false), ("/*.pdf", "/files/a.pdf", true), ("/a*a", "/a", false),
    ])
    func pathPatternsMatchWholePaths(pattern: String, path: String, expected: Bool) throws {
        #expect(try #require(PathPattern(pattern)).matches(path) == expected)
    }

    @Test(arguments: ["admin", "", "/a b", "/a,b", "/a?x=1", "/#/x", "/" + String(repeating: "x", count: 200)])
    func malformedPathPatternsAreRefused(text: String) {
        #expect(PathPattern(text) == nil)
    }

    @Test func excludedPathsCompileToOneJavaScriptExpression() throws {
        let patterns = try ["/admin/*", "/a.b(c)+", "*/print"].map { try #require(PathPattern($0)) }
        #expect(PathPattern.javaScriptRegex(patterns) == #"^(?:/admin/.*|/a\.b\(c\)\+|.*/print)$"#)
        #expect(PathPattern.javaScriptRegex([]) == "")
    }

    @Test func assignmentsChangeEverySetting() throws {
        let site = try SiteConfigKey.apply([
            "excluded_paths=/admin/*, /preview*", "hash_routing=true", "download_extensions=.PDF,zip,pdf",
            "honour_dnt=false", "sample_percent=25", "first_party_id=yes", "allow_localhost=on", "ip_policy=HASH",
            "strip_params=Promo", "retention_days=90", "geo_precision=0.1",
            "lead_key_pages=/pricing*:30", "lead_half_life_days=7", "lead_weights=visit=4",
            "referral_exclusions=Pay.Example.com,pay.example.com",
        ], to: Self.site)
        #expect(site.ipPolicy == .hash)
        #expect(site.tracker.excludedPaths.map(\.text) == ["/admin/*", "/preview*"])
        #expect(site.tracker.hashRouting)
        #expect(site.tracker.downloadExtensions == ["pdf", "zip"])
        #expect(!site.honourDoNotTrack)
        #expect(site.tracker.samplePercent == 25)
        #expect(site.tracker.firstPartyID && site.tracker.allowLocalhost)
        #expect(SiteConfigKey.allCases.map { "\($0.rawValue)=\($0.value(in: site))" } == [
            "excluded_paths=/admin/*,/preview*", "hash_routing=true", "download_extensions=pdf,zip",
            "honour_dnt=false", "sample_percent=25", "first_party_id=true", "allow_localhost=true", "ip_policy=hash",
            "strip_params=promo", "retention_days=90", "geo_precision=0.1",
            "lead_key_pages=/pricing*:30", "lead_half_life_days=7", "lead_weights=" + site.leads.weights.text,
            "referral_exclusions=pay.example.com",
            "shield_ips=", "shield_asns=", "shield_countries=", "shield_paths=", "shield_hosts=",
        ])
        #expect(site.leads.weights.text.hasPrefix("visit=4,visit_cap=15,"))
        let cleared = try SiteConfigKey.apply(["excluded_paths=", "download_extensions=default"], to: site)
        #expect(cleared.tracker.excludedPaths.isEmpty)
        #expect(cleared.tracker.downloadExtensions == TrackerSettings.defaultDownloadExtensions)
    }

    @Test func shieldsAreSettingsThatMatchAddressesNetworksPathsAndHosts() throws {
        let site = try SiteConfigKey.apply([
            "shield_ips=203.0.113.7, 198.51.100.0/24,2001:db8::/32", "shield_asns=AS15169,13335",
            "shield_countries=de,FR", "shield_paths=/internal/*", "shield_hosts=Staging.Acme.com,*.preview.acme.com",
        ], to: Self.site)
        #expect(site.shields.ipRanges == ["203.0.113.7", "198.51.100.0/24", "2001:db8::/32"])
        #expect(site.shields.asns == [15169, 13335])
        #expect(site.shields.countries == ["DE", "FR"])
        #expect(site.shields.shields(path: "/internal/x") && !site.shields.shields(path: "/pricing"))
        #expect(site.shields.shields(host: "staging.acme.com") && site.shields.shields(host: "pr-7.preview.acme.com"))
        #expect(!site.shields.shields(host: "acme.com") && !site.shields.shields(host: "preview.acme.com"))
        #expect(SiteConfigKey.shieldASNs.value(in: site) == "15169,13335")
        let decoded = try JSONDecoder().decode(Shields.self, from: Data(#"{"asns":[1]}"#.utf8))
        #expect(decoded == Shields(asns: [1]))
    }

    @Test(arguments: [
        ("shield_ips=10.0.0.0/33", SiteConfigError.invalidValue(
            key: "shield_ips", value: "10.0.0.0/33", expected: "IPv4/IPv6 addresses or CIDR networks, comma-separated")),
        ("shield_ips=office", .invalidValue(
            key: "shield_ips", value: "office", expected: "IPv4/IPv6 addresses or CIDR networks, comma-separated")),
        ("shield_asns=ASX", .invalidValue(
            key: "shield_asns", value: "ASX", expected: "AS numbers such as AS15169 or 15169, comma-separated")),
        ("shield_countries=Germany", .invalidValue(
            key: "shield_countries", value: "Germany", expected: "two-letter ISO country codes such as DE, comma-separated")),
        ("shield_hosts=a b", .invalidValue(
            key: "shield_hosts", value: "a b", expected: "hostnames such as staging.acme.com or *.acme.com, comma-separated")),
    ])
    func badShieldsAreRefusedPrecisely(assignment: String, error: SiteConfigError) {
        #expect(throws: error) { try SiteConfigKey.apply([assignment], to: Self.site) }
    }

    @Test(arguments: [
        ("hash_routing", SiteConfigError.malformedAssignment("hash_routing")),
        ("colour=blue", .unknownKey("colour")),
        ("hash_routing=maybe", .invalidValue(key: "hash_routing", value: "maybe", expected: "true or false")),
        ("sample_percent=0", .invalidValue(key: "sample_percent", value: "0", expected: "an integer percent from 1 to 100")),
        ("sample_percent=101", .invalidValue(key: "sample_percent", value: "101", expected: "an integer percent from 1 to 100")),
        ("excluded_paths=admin", .invalidValue(key: "excluded_paths", value: "admin",
                                               expected: "paths starting with / or *, without spaces, control characters, commas, ;, ? or #")),
        ("download_extensions=p.df", .invalidValue(key: "download_extensions", value: "p.df",
                                                   expected: "extensions of 1–10 letters or digits, comma-separated, or 'default'")),
        ("ip_policy=keep", .invalidValue(key: "ip_policy", value: "keep", expected: "drop, truncate, hash")),
    ])
    func badAssignmentsAreRefusedPrecisely(assignment: String, error: SiteConfigError) {
        #expect(throws: error) { try SiteConfigKey.apply([assignment], to: Self.site) }
    }

    @Test func storedSettingsMissingNewerKeysDecodeToDefaults() throws {
        let decoded = try JSONDecoder().decode(TrackerSettings.self, from: Data(#"{"hashRouting":true}"#.utf8))
        #expect(decoded == TrackerSettings(hashRouting: true))
        let roundTrip = try JSONDecoder().decode(
            TrackerSettings.self, from: try JSONEncoder().encode(TrackerSettings(excludedPaths: [PathPattern("/x*")!], samplePercent: 7)))
        #expect(roundTrip.excludedPaths.map(\.text) == ["/x*"] && roundTrip.samplePercent == 7)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(TrackerSettings.self, from: Data(#"{"excludedPaths":["no-slash"]}"#.utf8))
        }
    }
}
