import FootfallCore
import FootfallEnrich
@testable import FootfallServer
import FootfallStore
import Foundation
import Testing

/// `putNetwork`: events carry what IP intelligence knows, and the IP only in the policy's form.
@Suite struct NetworkEnrichmentTests {
    let directory = NSTemporaryDirectory() + "footfall-network-" + UUID().uuidString
    let catalog: Catalog

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        catalog = try Catalog(path: directory + "/catalog.sqlite")
    }

    @Test(arguments: [
        ("198.51.100.7", "Acme Corp", "acme.com", NetworkType.business, "US", "198.51.100.0"),
        ("2001:db8:1::9", "Acme Corp", "acme.com", .business, "US", "2001:db8:1::"),
        ("192.0.2.1", "", "", .unknown, "", "192.0.2.0"),
    ] as [(String, String, String, NetworkType, String, String)])
    func eventsCarryTheOrganisation(
        ip: String, organisation: String, domain: String, type: NetworkType, country: String, storedIP: String
    ) async throws {
        let tenant = try await catalog.tenant(named: "t")
        let site = try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.com"])
        let ranges = directory + "/ranges.csv"
        try "198.51.100.0/24,Acme Corp,acme.com,business,US\n2001:db8::/32,Acme Corp,acme.com,business,US\n"
            .write(toFile: ranges, atomically: true, encoding: .utf8)
        let ipData = IPDataDirectory(dataDirectory: directory)
        _ = try ipData.install(ranges, format: .custom, tenantID: tenant.id)
        let pipeline = IngestPipeline(
            sites: SiteDirectory(catalog: catalog), salts: SaltCache(catalog: catalog),
            intelligence: IPIntelligence(directory: ipData))
        let beacon = Beacon(siteKey: site.key, type: .pageview, id: "e1", url: "https://acme.com/")
        let request = BeaconRequest(
            clientIP: IPAddress(ip), userAgent: IngestPipelineTests.chrome, optedOut: false, receivedAt: 1_700_000_000_000)
        let event = try #require(try await pipeline.process([beacon], request: request).events.first)
        #expect(event.network == NetworkInfo(
            organisation: organisation, domain: domain, asn: 0, networkType: type, country: country, storedIP: storedIP,
            matchSource: organisation.isEmpty ? .unknown : .customRange))
    }

    @Test func peoplesConnectionsAreLocatedNoFinerThanTheirRegion() async throws {
        let tenant = try await catalog.tenant(named: "t")
        let site = try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.com"])
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fixtures/ipintel").standardized.path
        let ipData = IPDataDirectory(dataDirectory: directory)
        _ = try ipData.install(fixtures + "/asn.mmdb", format: .mmdb, tenantID: nil)
        _ = try ipData.install(fixtures + "/city.mmdb", format: .mmdb, tenantID: nil)
        let pipeline = IngestPipeline(
            sites: SiteDirectory(catalog: catalog), salts: SaltCache(catalog: catalog), intelligence: IPIntelligence(directory: ipData))
        func place(_ ip: String) async throws -> [String] {
            let beacon = Beacon(siteKey: site.key, type: .pageview, id: "e-" + ip, url: "https://acme.com/")
            let request = BeaconRequest(
                clientIP: IPAddress(ip), userAgent: IngestPipelineTests.chrome, optedOut: false, receivedAt: 1_700_000_000_000)
            let network = try #require(try await pipeline.process([beacon], request: request).events.first).network
            return [network.networkType.rawValue, network.country, network.region, network.city]
        }
        #expect(try await place("203.0.113.5") == ["isp", "FR", "Île-de-France", ""])
        #expect(try await place("192.0.2.10") == ["business", "DE", "Bavaria", "Munich"])
    }
}
