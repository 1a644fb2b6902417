import FootfallCore
@testable import FootfallEnrich
import Foundation
import Synchronization
import Testing

@Suite struct IPIntelligenceTests {
    let data: TemporaryDirectory
    let directory: IPDataDirectory

    init() throws {
        data = try TemporaryDirectory()
        directory = IPDataDirectory(dataDirectory: data.path)
    }

    func installFixtures(tenantID: Int64 = 7) throws {
        _ = try directory.install(IPIntelFixtures.path("asn.mmdb"), format: .mmdb, tenantID: nil)
        _ = try directory.install(IPIntelFixtures.path("city.mmdb"), format: .mmdb, tenantID: nil)
        _ = try directory.install(IPIntelFixtures.path("ip2asn.csv"), format: .csv, tenantID: nil)
        _ = try directory.install(IPIntelFixtures.path("custom-acme.csv"), format: .custom, tenantID: tenantID)
    }

    @Test(arguments: [
        // Tenant 7's custom ranges beat the ASN data for the same addresses …
        ("203.0.113.5", Int64(7), "Acme Corp", "acme.com", 64502, "US", NetworkType.business, LeadMatchSource.customRange),
        ("203.0.113.200", 7, "Acme Guest Wi-Fi", "acme.com", 64502, "GB", .isp, .customRange),
        // … but apply to tenant 7 only.
        ("203.0.113.5", 8, "Example Telecom Broadband", "", 64502, "FR", .isp, .mmdb),
        // MMDB answers before the CSV; the city database adds the country.
        ("192.0.2.1", nil, "Example Industries GmbH", "", 64500, "DE", .business, .mmdb),
        // Only the CSV knows these two.
        ("192.0.2.200", nil, "Example Federal Ministry of Finance", "", 64504, "DE", .government, .rangeFile),
        ("128.112.1.1", nil, "PRINCETON-AS", "", 88, "US", .education, .rangeFile),
        ("198.51.100.7", nil, "Example University", "", 64501, "GB", .education, .mmdb),
        ("8.8.8.8", nil, "GOOGLE", "", 15169, "US", .hosting, .mmdb),
        ("2001:db8::1", nil, "Example Cloud Hosting B.V.", "", 64503, "NL", .hosting, .mmdb),
        ("2001:db8:ac::1", 7, "Acme Corp", "acme.com", 64503, "US", .business, .customRange),
        ("9.9.9.9", nil, "", "", 0, "", .unknown, .unknown),
    ] as [(String, Int64?, String, String, Int, String, NetworkType, LeadMatchSource)])
    func layersAnswerMostSpecificFirst(
        address: String, tenant: Int64?, organisation: String, domain: String, asn: Int, country: String, type: NetworkType,
        source: LeadMatchSource
    ) throws {
        try installFixtures()
        let lookup = IPIntelligence(directory: directory).lookup(IPAddress(address), tenantID: tenant)
        // Region and city come with the country from one layer (lookupIPExplainsEveryLayer).
        #expect(lookup.network == NetworkInfo(
            organisation: organisation, domain: domain, asn: asn, networkType: type, country: country, storedIP: "",
            region: lookup.record.region, city: lookup.record.city, matchSource: source))
    }

    @Test func lookupIPExplainsEveryLayer() async throws {
        try installFixtures()
        let intelligence = IPIntelligence(directory: directory)
        let (lookup, _) = await intelligence.explain(IPAddress("203.0.113.130")!, tenantID: 7)
        #expect(lookup.layers.map(\.source) == ["custom", "mmdb:asn", "mmdb:city", "csv:ip2asn"])
        #expect(lookup.layers.map { $0.record?.organisation ?? "-" } == ["Acme Research", "Example Telecom Broadband", "", "Example Telecom Broadband"])
        // Location fields come from one layer: the tenant's GB office is not given the city database's Paris.
        #expect((lookup.record.country, lookup.record.city) == ("GB", ""))
        let (plain, _) = await intelligence.explain(IPAddress("203.0.113.130")!, tenantID: nil)
        #expect((plain.record.country, plain.record.region, plain.record.city) == ("FR", "Île-de-France", "Paris"))
        #expect((plain.network.region, plain.network.city, plain.network.matchSource) == ("Île-de-France", "Paris", .mmdb))
        #expect(lookup.matchSource == .customRange && lookup.network.matchSource.confidence == .high)
    }

    @Test func aMissingAddressIsUnknown() {
        #expect(IPIntelligence(directory: directory).lookup(nil, tenantID: 1) == .unknown)
    }

    @Test(arguments: [
        ("broken/truncated.mmdb", IPDataDirectory.Format.mmdb),
        ("broken/corrupt-tree.mmdb", .mmdb),
        ("broken/truncated.csv", .csv),
        ("broken/bad-address.csv", .csv),
        ("broken/overlap-custom.csv", .custom),
    ])
    func brokenImportsAreRefusedAndTheOldDataStays(file: String, format: IPDataDirectory.Format) throws {
        try installFixtures()
        let intelligence = IPIntelligence(directory: directory)
        let before = intelligence.lookup(IPAddress("203.0.113.5"), tenantID: 7)
        let generation = directory.generation()
        // Installed under the names of the good sources, so a partial write would replace them.
        let name = format == .mmdb ? "asn" : "ip2asn"
        #expect(throws: IPDataError.self) {
            try directory.install(IPIntelFixtures.path(file), format: format, tenantID: 7, name: name)
        }
        #expect(directory.generation() == generation)
        #expect(intelligence.reloadIfChanged() == nil)
        #expect(IPIntelligence(directory: directory).lookup(IPAddress("203.0.113.5"), tenantID: 7) == before)
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: directory.root).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func customRangesNeedATenant() {
        #expect(throws: IPDataError.tenantRequired) {
            try directory.install(IPIntelFixtures.path("custom-acme.csv"), format: .custom, tenantID: nil)
        }
    }

    /// Readers hammer the intelligence while new data is installed and reloaded: every
    /// answer is either the complete old data or the complete new data, never a gap.
    @Test func hotReloadUnderConcurrentLookupsHasNoGap() async throws {
        let old = data.path + "/old.csv"
        let new = data.path + "/new.csv"
        try "192.0.2.0/24,Old Corp,old.com\n198.51.100.0/24,Old Corp,old.com\n".write(toFile: old, atomically: true, encoding: .utf8)
        try "192.0.2.0/24,New Corp,new.com\n198.51.100.0/24,New Corp,new.com\n".write(toFile: new, atomically: true, encoding: .utf8)
        _ = try directory.install(old, format: .custom, tenantID: 1)
        let intelligence = IPIntelligence(directory: directory)
        let stop = Atomic(false)
        let seen = Mutex<Set<String>>([])
        let readers = (0..<4).map { reader in
            Thread.detachNewThreadWithResult {
                var local = Set<String>()
                var count = 0
                let addresses = [IPAddress("192.0.2.9")!, IPAddress("198.51.100.9")!]
                while !stop.load(ordering: .relaxed) || count < 1000 {
                    local.insert(intelligence.lookup(addresses[(count + reader) % 2], tenantID: 1).network.organisation)
                    count += 1
                }
                seen.withLock { $0.formUnion(local) }
                return count
            }
        }
        for round in 0..<20 {
            _ = try directory.install(round % 2 == 0 ? new : old, format: .custom, tenantID: 1)
            #expect(intelligence.reloadIfChanged() != nil)
        }
        stop.store(true, ordering: .relaxed)
        let counts = await readers.asyncMap { await $0.value }
        #expect(counts.allSatisfy { $0 >= 1000 })
        #expect(seen.withLock { $0 } == ["Old Corp", "New Corp"])
        #expect(intelligence.lookup(IPAddress("192.0.2.9"), tenantID: 1).network.organisation == "Old Corp")
    }
}

extension Thread {
    /// Runs `body` on a new thread; `value` waits for its result.
    static func detachNewThreadWithResult<T: Sendable>(_ body: @escaping @Sendable () -> T) -> ThreadResult<T> {
        let result = ThreadResult<T>()
        Thread.detachNewThread { result.set(body()) }
        return result
    }
}

final class ThreadResult<T: Sendable>: Sendable {
    let state = Mutex<(T?, [CheckedContinuation<T, Never>])>((nil, []))

    func set(_ value: T) {
        let waiters = state.withLock { state in
            state.0 = value
            defer { state.1 = [] }
            return state.1
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    var value: T {
        get async {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> T? in
                    if let value = state.0 { return value }
                    state.1.append(continuation)
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var out: [T] = []
        for element in self { out.append(await transform(element)) }
        return out
    }
}
