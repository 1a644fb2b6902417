import FootfallCore
@testable import FootfallEnrich
import Foundation
import Testing

@Suite struct NetworkClassifierTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var organisation: String
        var asn: Int
        var domain: String
        var hostname: String
        var expected: NetworkType
        var testDescription: String { "\(organisation) AS\(asn) \(domain) \(hostname)" }
    }

    /// Rows of Fixtures/ipintel/classification.tsv.
    static let cases: [Case] = {
        let text = (try? String(contentsOfFile: IPIntelFixtures.path("classification.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Case(
                organisation: fields[0], asn: Int(fields[1]) ?? 0, domain: fields[2], hostname: fields[3],
                expected: NetworkType(rawValue: fields[4]) ?? .unknown)
        }
    }()

    @Test func theFixtureTableIsNotEmpty() {
        #expect(Self.cases.count > 25)
    }

    @Test(arguments: cases)
    func classifies(_ row: Case) {
        let record = NetworkRecord(organisation: row.organisation, domain: row.domain, asn: row.asn)
        #expect(NetworkClassifier().classify(record, hostname: row.hostname) == row.expected)
    }

    @Test func aStatedTypeWins() {
        let record = NetworkRecord(organisation: "Example University", asn: 16509, networkType: .business)
        #expect(NetworkClassifier().classify(record) == .business)
    }

    @Test(arguments: [
        ("mail.eng.acme.co.uk", "acme.co.uk"), ("www.acme.com", "acme.com"), ("acme.com.", "acme.com"),
        ("c-73-162-10-5.hsd1.ma.comcast.net", "comcast.net"),
        ("gw.cs.stanford.edu", "stanford.edu"), ("x.city.kawasaki.jp", "city.kawasaki.jp"), ("a.b.kawasaki.jp", "a.b.kawasaki.jp"),
    ])
    func registrableDomainsFollowThePublicSuffixList(host: String, expected: String) throws {
        let list = try PublicSuffixList.load()
        #expect(list.registrableDomain(of: host) == expected)
    }

    @Test(arguments: ["com", "co.uk", "ec2-3-5-140-2.compute-1.amazonaws.com", "localhost", "192.0.2.1", "", "a..b"])
    func publicSuffixesAndNonNamesHaveNoRegistrableDomain(host: String) throws {
        #expect(try PublicSuffixList.load().registrableDomain(of: host) == nil)
    }
}

@Suite struct NetworkClassifierStemTests {
    @Test(arguments: [
        ("university of oxford", "universit", true), ("oxford", "universit", false), ("telecom", "telecom", true),
        ("tele", "telecom", false), ("x", "", true), ("", "x", false), ("münchen telekom ag", "telekom", true),
        ("data center", "data center", true), ("datacenter", "data center", false), ("aab", "ab", true),
    ])
    func aStemIsFoundAnywhereInTheName(text: String, stem: String, found: Bool) {
        #expect(NetworkClassifier.contains(text, stem) == found)
        #expect(NetworkClassifier.contains(text, stem) == text.utf8.firstRange(of: stem.utf8).map { _ in true } ?? stem.isEmpty)
    }
}
