import FootfallCore
@testable import FootfallEnrich
import Testing

@Suite struct IPRangeTableTests {
    static func table(_ ranges: [(String, String)]) throws -> IPRangeTable {
        var builder = IPRangeTable.Builder()
        for (line, (range, organisation)) in ranges.enumerated() {
            builder.add(try #require(IPRange(range)), NetworkRecord(organisation: organisation), position: line + 1)
        }
        return try builder.build()
    }

    static let nested = [
        ("10.0.0.0/8", "Outer"),
        ("10.1.0.0/16", "Middle"),
        ("10.1.2.0/24", "Inner"),
        ("10.1.2.3", "Host"),
        ("10.200.0.0/16", "Second middle"),
        ("255.255.255.0/24", "Top of IPv4"),
        ("0.0.0.0/32", "Zero"),
        ("2001:db8::/32", "V6 outer"),
        ("2001:db8:1::/48", "V6 inner"),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120", "Top of IPv6"),
    ]

    @Test(arguments: [
        ("9.255.255.255", nil), ("10.0.0.0", "Outer"), ("10.0.255.255", "Outer"),
        ("10.1.0.0", "Middle"), ("10.1.2.0", "Inner"), ("10.1.2.2", "Inner"), ("10.1.2.3", "Host"),
        ("10.1.2.4", "Inner"), ("10.1.2.255", "Inner"), ("10.1.3.0", "Middle"), ("10.1.255.255", "Middle"),
        ("10.2.0.0", "Outer"), ("10.199.255.255", "Outer"), ("10.200.0.0", "Second middle"),
        ("10.200.255.255", "Second middle"), ("10.201.0.0", "Outer"), ("10.255.255.255", "Outer"),
        ("11.0.0.0", nil), ("0.0.0.0", "Zero"), ("0.0.0.1", nil), ("255.255.254.255", nil),
        ("255.255.255.0", "Top of IPv4"), ("255.255.255.255", "Top of IPv4"),
        ("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", nil), ("2001:db8::", "V6 outer"), ("2001:db8:1::1", "V6 inner"),
        ("2001:db8:1:ffff:ffff:ffff:ffff:ffff", "V6 inner"), ("2001:db8:2::", "V6 outer"),
        ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "V6 outer"), ("2001:db9::", nil),
        ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "Top of IPv6"), ("::ffff:10.1.2.3", "Host"),
    ] as [(String, String?)])
    func theMostSpecificRangeWinsAtEveryEdge(address: String, expected: String?) throws {
        let table = try Self.table(Self.nested)
        #expect(table.lookup(try #require(IPAddress(address)))?.organisation == expected)
    }

    /// Large tables use the /16 first-level index: it must answer exactly like a scan,
    /// including ranges that start in an earlier /16 and reach into the probed one.
    @Test(arguments: [UInt32(2_654_435_761), 2_246_822_519])
    func largeTablesAnswerLikeALinearScan(multiplier: UInt32) throws {
        // Multiplicative hashing spreads the boundaries; masking every other one clusters
        // them, so some /16s hold many ranges and some ranges span many /16s.
        var bounds = Set<UInt32>()
        var counter: UInt32 = 0
        while bounds.count < 2400 {
            counter += 1
            let value = counter &* multiplier
            bounds.insert(counter % 2 == 0 ? value : value & 0x0FFF_FFFF)
        }
        let sorted = bounds.sorted()
        var builder = IPRangeTable.Builder()
        var ranges: [(UInt32, UInt32, String)] = []
        for index in stride(from: 0, to: sorted.count, by: 2) {
            let name = "R\(index)"
            builder.add(ipv4: sorted[index], sorted[index + 1], NetworkRecord(organisation: name), position: index)
            ranges.append((sorted[index], sorted[index + 1], name))
        }
        let table = try builder.build()
        #expect(table.rangeCount == 1200)
        var probes = (0..<600).map { UInt32($0) &* multiplier &+ 12_345 }
        probes += ranges.flatMap { [$0.0, $0.1, $0.0 &- 1, $0.1 &+ 1] }
        let wrong = probes.filter { probe in
            table.lookup(ipv4: probe)?.organisation != ranges.first(where: { $0.0 <= probe && probe <= $0.1 })?.2
        }
        #expect(wrong.map { IPAddress(ipv4: $0).description } == [])
    }

    @Test func identicalRangesLetTheLaterLineWin() throws {
        let table = try Self.table([("192.0.2.0/24", "Old"), ("192.0.2.0/24", "New")])
        #expect(table.lookup(IPAddress("192.0.2.9")!)?.organisation == "New")
        #expect(table.rangeCount == 1)
    }

    @Test func adjacentRangesOfOneRecordAreStoredOnce() throws {
        let table = try Self.table([("192.0.2.0/25", "Same"), ("192.0.2.128/25", "Same"), ("198.51.100.0/24", "Other")])
        #expect(table.rangeCount == 2)
        #expect(table.records.count == 2)
    }

    @Test func partlyOverlappingRangesAreRefusedWithBothLines() throws {
        #expect(throws: RangeOverlapError(first: 1, second: 2, firstRange: "192.0.2.0/25", secondRange: "192.0.2.64-192.0.2.200")) {
            try Self.table([("192.0.2.0/25", "A"), ("192.0.2.64-192.0.2.200", "B")])
        }
    }

    @Test(arguments: [
        ("203.0.113.0/24", "203.0.113.0/24"), ("203.0.113.77/24", "203.0.113.0/24"), ("203.0.113.7", "203.0.113.7"),
        ("2001:db8::/32", "2001:db8::/32"), ("192.0.2.10-192.0.2.20", "192.0.2.10-192.0.2.20"), ("0.0.0.0/0", "0.0.0.0/0"),
    ])
    func rangesParseAndPrint(text: String, printed: String) throws {
        #expect(try #require(IPRange(text)).description == printed)
    }

    @Test(arguments: ["203.0.113.0/33", "2001:db8::/129", "192.0.2.20-192.0.2.10", "192.0.2.1-2001:db8::1", "x/8", "10.0.0.0/-1"])
    func invalidRangesAreRefused(text: String) {
        #expect(IPRange(text) == nil)
    }

    @Test func integerConversionsRoundTrip() throws {
        #expect(IPAddress("192.0.2.1")?.ipv4Value == 0xC000_0201)
        #expect(IPAddress(ipv4: 0xC000_0201).description == "192.0.2.1")
        let v6 = try #require(IPAddress("2001:db8::1"))
        #expect(IPAddress(ipv6: try #require(v6.ipv6Value)) == v6)
    }
}

