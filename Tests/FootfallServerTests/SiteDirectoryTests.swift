@testable import FootfallServer
import FootfallStore
import Foundation
import Testing

@Suite struct SiteDirectoryTests {
    /// Under load right after start, every concurrent request for an existing site must
    /// find it: none may be told "unknown site" while the first catalog read is in flight.
    @Test func concurrentFirstLookupsAllFindAnExistingSite() async throws {
        let directory = NSTemporaryDirectory() + "footfall-sites-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let catalog = try Catalog(path: directory + "/catalog.sqlite")
        let tenant = try await catalog.tenant(named: "t")
        let site = try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.com"])
        let sites = SiteDirectory(catalog: catalog)
        let found = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<64 { group.addTask { try await sites.site(key: site.key) == site } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(found == 64)
        #expect(try await sites.site(key: "s_unknown") == nil)
    }
}
