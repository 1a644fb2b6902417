import FootfallCore
import FootfallEnrich

/// IPv4 range-table lookups (the ingest hot path of IP → organisation) on a generated
/// table of 500,000 ranges, single-threaded, against a same-run reference: a `Dictionary`
/// lookup of the same exact addresses (the cheapest possible keyed lookup). Also prints
/// the table's bytes per range.
struct IPLookupBenchmark: Benchmark {
    let name = "ip-lookup"
    let rangeCount = 500_000
    let probes = 1 << 20
    let rounds = 8

    func run() async throws {
        var generator = SeededRandom(seed: 5)
        // 2 × rangeCount distinct sorted boundaries → disjoint ranges with gaps between them.
        var boundaries = Set<UInt32>()
        while boundaries.count < rangeCount * 2 { boundaries.insert(UInt32(truncatingIfNeeded: generator.next())) }
        let sorted = boundaries.sorted()
        var builder = IPRangeTable.Builder()
        for index in 0..<rangeCount {
            let asn = Int(generator.next() % 60_000) + 1
            builder.add(
                ipv4: sorted[2 * index], sorted[2 * index + 1],
                NetworkRecord(organisation: "AS\(asn) Example Networks", asn: asn, country: "DE"), position: index)
        }
        var table = IPRangeTable.empty
        let buildSeconds = try Report.time { table = try builder.build() }
        let addresses = (0..<probes).map { _ in UInt32(truncatingIfNeeded: generator.next()) }

        var hits = 0
        let seconds = Report.time {
            for _ in 0..<rounds {
                for address in addresses where table.lookup(ipv4: address) != nil { hits += 1 }
            }
        }
        let parsed = addresses.prefix(probes / 4).map { IPAddress(ipv4: $0) }
        var parsedHits = 0
        let parsedSeconds = Report.time {
            for address in parsed where table.lookup(address) != nil { parsedHits += 1 }
        }
        var exact: [UInt32: Int] = [:]
        exact.reserveCapacity(addresses.count)
        for (index, address) in addresses.enumerated() { exact[address] = index }
        var found = 0
        let referenceSeconds = Report.time {
            for _ in 0..<rounds {
                for address in addresses where exact[address] != nil { found += 1 }
            }
        }
        precondition(hits > 0 && found == probes * rounds && parsedHits > 0)
        let lookups = Double(probes * rounds)
        Report.figure("ranges", Double(table.rangeCount), "ranges (built in \(Report.format(buildSeconds)) s)")
        Report.compare(
            "range lookups (UInt32 key)", lookups / seconds, reference: "Dictionary exact-address lookup",
            lookups / referenceSeconds, "lookups/s")
        Report.compare(
            "range lookups (IPAddress)", Double(parsed.count) / parsedSeconds, reference: "Dictionary exact-address lookup",
            lookups / referenceSeconds, "lookups/s")
        Report.figure("hit rate", Double(hits) / lookups * 100, "%")
        Report.figure("memory", Double(table.approximateBytes) / Double(table.rangeCount), "bytes/range (incl. shared records)")
        Report.figure("range arrays", 12, "bytes/range (start, end, record index: 3 × UInt32)")
    }
}

