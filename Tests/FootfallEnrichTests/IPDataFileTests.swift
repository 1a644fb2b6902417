import FootfallCore
@testable import FootfallEnrich
import Testing

/// The fixture files read as the layers should read them, and broken files are refused
/// with the line or byte offset of the problem.
@Suite struct IPDataFileTests {
    @Test(arguments: [
        ("8.8.8.8", "GOOGLE", 15169, "US"), ("192.0.2.200", "Example Federal Ministry of Finance", 64504, "DE"),
        ("192.0.2.127", "Example Industries GmbH", 64500, "DE"), ("0.1.2.3", nil, 0, ""), ("9.9.9.9", nil, 0, ""),
        ("2001:db8:1234::1", "Example Cloud Hosting B.V.", 64503, "NL"), ("2606:4700::1111", "CLOUDFLARENET", 13335, "US"),
    ] as [(String, String?, Int, String)])
    func csvRangesFromTheIptoasnShape(address: String, organisation: String?, asn: Int, country: String) throws {
        let table = try RangeFileParser.parseCSV(try IPIntelFixtures.bytes("ip2asn.csv"), file: "ip2asn.csv")
        let record = table.lookup(try #require(IPAddress(address)))
        #expect(record?.organisation == organisation)
        #expect((record?.asn ?? 0) == asn)
        #expect((record?.country ?? "") == country)
    }

    @Test func csvAcceptsCommasQuotesIntegersAndAHeader() throws {
        let text = """
            range_start,range_end,AS_number,country_code,AS_description
            3221225984,3221226239,AS64500,de,"Example Industries, GmbH"
            198.51.100.0,198.51.100.255,64501,GB,Example University

            """
        let table = try RangeFileParser.parseCSV(Array(text.utf8), file: "x.csv")
        #expect(table.lookup(IPAddress("192.0.2.1")!) == NetworkRecord(organisation: "Example Industries, GmbH", asn: 64500, country: "DE"))
        #expect(table.lookup(IPAddress("198.51.100.1")!)?.organisation == "Example University")
    }

    @Test func customRangesNestAndCarryTheirType() throws {
        let table = try RangeFileParser.parseCustom(try IPIntelFixtures.bytes("custom-acme.csv"), file: "custom-acme.csv")
        #expect(table.lookup(IPAddress("203.0.113.5")!) == NetworkRecord(organisation: "Acme Corp", domain: "acme.com", country: "US", networkType: .business))
        #expect(table.lookup(IPAddress("203.0.113.130")!)?.organisation == "Acme Research")
        #expect(table.lookup(IPAddress("203.0.113.200")!)?.networkType == .isp)
        #expect(table.lookup(IPAddress("2001:db8:ac:1::9")!)?.organisation == "Acme Corp")
        #expect(table.lookup(IPAddress("2001:db8:ad::1")!) == nil)
    }

    @Test(arguments: [
        ("broken/truncated.csv", "line 7: file ends in the middle of a line (truncated download?)"),
        ("broken/bad-address.csv", "line 7: invalid start address '198.51.100.300'"),
    ])
    func brokenCSVFilesNameTheLine(file: String, message: String) throws {
        let error = #expect(throws: IPDataError.self) {
            try RangeFileParser.parseCSV(try IPIntelFixtures.bytes(file), file: file)
        }
        #expect(error?.description == "\(file): \(message)")
    }

    @Test(arguments: [
        ("10.0.0.0/8,Acme\n", "line 1: expected range,organisation,domain[,network_type[,country]]; found 2 fields"),
        ("# offices\n10.0.0.0/33,Acme,acme.com\n", "line 2: invalid range '10.0.0.0/33' (use a CIDR, an address or first-last)"),
        ("10.0.0.0/8,Acme,acme.com,corporate\n", "line 1: invalid network type 'corporate' (isp, mobile, hosting, education, government, business)"),
        ("10.0.0.0/8,Acme,not a domain\n", "line 1: invalid domain 'not a domain'"),
        ("10.0.0.0/8,,acme.com\n", "line 1: organisation is empty"),
        ("10.0.0.0/8,Acme,acme.com,business,USA\n", "line 1: invalid country code 'USA'"),
        ("# nothing\n\n", "contains no ranges"),
        ("203.0.113.0/25,Acme Corp,acme.com\n203.0.113.64-203.0.113.200,Other Corp,other.com\n",
         "line 2: range 203.0.113.64-203.0.113.200 partly overlaps 203.0.113.0/25 from line 1 (ranges may nest or be disjoint)"),
    ])
    func brokenCustomFilesNameTheLine(text: String, message: String) {
        let error = #expect(throws: IPDataError.self) { try RangeFileParser.parseCustom(Array(text.utf8), file: "acme.csv") }
        #expect(error?.description == "acme.csv: \(message)")
    }

    @Test(arguments: [
        ("8.8.8.8", NetworkRecord(organisation: "GOOGLE", asn: 15169)),
        ("17.253.1.1", NetworkRecord(organisation: "APPLE-ENGINEERING", asn: 714)),
        ("192.0.2.1", NetworkRecord(organisation: "Example Industries GmbH", asn: 64500)),
        ("2001:db8::1", NetworkRecord(organisation: "Example Cloud Hosting B.V.", asn: 64503)),
        ("2606:4700:4700::1111", NetworkRecord(organisation: "CLOUDFLARENET", asn: 13335)),
    ])
    func mmdbASNDatabase(address: String, expected: NetworkRecord) throws {
        let database = try MaxMindDatabase(path: IPIntelFixtures.path("asn.mmdb"))
        #expect(database.databaseType == "Footfall-Fixture-ASN")
        #expect(database.lookup(try #require(IPAddress(address))) == expected)
        #expect(database.lookup(IPAddress("9.9.9.9")!) == nil)
    }

    @Test func mmdbCityDatabase() throws {
        let database = try MaxMindDatabase(path: IPIntelFixtures.path("city.mmdb"))
        #expect(database.lookup(IPAddress("203.0.113.9")!) == NetworkRecord(country: "FR", region: "Île-de-France", city: "Paris"))
        #expect(database.lookup(IPAddress("2001:db8::5")!)?.city == "Amsterdam")
        try database.verify()
    }

    @Test func truncatedMMDBIsRefusedOnOpen() {
        let error = #expect(throws: IPDataError.self) { try MaxMindDatabase(path: IPIntelFixtures.path("broken/truncated.mmdb")) }
        #expect(error?.description.contains("truncated") == true)
    }

    @Test func corruptSearchTreeIsRefusedWithItsOffset() throws {
        let path = IPIntelFixtures.path("broken/corrupt-tree.mmdb")
        let error = #expect(throws: IPDataError.self) { try MaxMindDatabase(path: path).verify() }
        guard case .invalidDatabase(_, let offset, _) = error else {
            Issue.record("expected invalidDatabase, got \(String(describing: error))")
            return
        }
        #expect(offset == 0)
    }
}
