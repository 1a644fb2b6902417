import FootfallCore
@testable import FootfallServer
import FootfallStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct TrackerRoutesTests {
    let directory = NSTemporaryDirectory() + "footfall-tracker-" + UUID().uuidString
    let catalog: Catalog

    init() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        catalog = try Catalog(path: directory + "/catalog.sqlite")
    }

    func application() -> some ApplicationProtocol {
        let router = Router(context: FootfallRequestContext.self)
        TrackerRoutes(sites: SiteDirectory(catalog: catalog)).register(on: router)
        return Application(router: router)
    }

    @Test func theTrackerIsServedGzippedToClientsThatAcceptItWithSeparateETags() async throws {
        try await application().test(.router) { client in
            let gzipped = try await client.execute(uri: "/t.js", method: .get, headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(gzipped.status == .ok)
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            #expect(gzipped.headers[.vary] == "Accept-Encoding")
            let compressed = Array(buffer: gzipped.body)
            #expect(compressed.count <= 1500, "the tracker budget is 1,500 bytes gzipped")
            #expect(compressed == TrackerRoutes.gzippedScript)

            let plain = try await client.execute(uri: "/t.js", method: .get)
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(String(buffer: plain.body) == TrackerBundle.script)
            #expect(plain.headers[.eTag] != gzipped.headers[.eTag])

            let refused = try await client.execute(uri: "/t.js", method: .get, headers: [.acceptEncoding: "gzip;q=0, identity"])
            #expect(refused.headers[.contentEncoding] == nil)

            let revalidated = try await client.execute(
                uri: "/t.js", method: .get, headers: [.acceptEncoding: "gzip", .ifNoneMatch: gzipped.headers[.eTag]!])
            #expect(revalidated.status == .notModified)
            #expect(revalidated.body.readableBytes == 0)
        }
    }

    @Test func theGzipBodyInflatesToTheScript() throws {
        // A gzip member ends with the input size (ISIZE, little-endian) after CRC-32.
        let gzip = TrackerRoutes.gzippedScript
        #expect(Array(gzip.prefix(2)) == [0x1f, 0x8b])
        let size = gzip.suffix(4).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(size == TrackerRoutes.script.count)
    }

    @Test func eachSiteGetsItsLiveConfigWithAnETag() async throws {
        let tenant = try await catalog.tenant(named: "t")
        var site = try await catalog.createSite(tenantID: tenant.id, name: "Acme", domains: ["acme.com"])
        site = try SiteConfigKey.apply(
            ["excluded_paths=/admin/*", "download_extensions=pdf,zip", "sample_percent=30", "allow_localhost=true"], to: site)
        try await catalog.updateSettings(of: site)
        let key = site.key
        try await application().test(.router) { client in
            let response = try await client.execute(uri: "/c/\(key).json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "public, max-age=10")
            #expect(response.headers[.accessControlAllowOrigin] == "*")
            #expect(String(buffer: response.body) == #"{"d":"\\.(pdf|zip)$","dnt":true,"fp":false,"h":false,"lh":true,"sr":30,"x":"^(?:/admin/.*)$"}"#)
            let etag = try #require(response.headers[.eTag])
            let again = try await client.execute(uri: "/c/\(key).json", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)

            for uri in ["/c/s_unknown.json", "/c/\(key)", "/c/.json"] {
                let missing = try await client.execute(uri: uri, method: .get)
                #expect(missing.status == .notFound, "\(uri)")
                #expect(missing.headers[.cacheControl] == "no-store")
            }
        }
    }

    @Test(arguments: [
        ("gzip", true), ("deflate, gzip;q=0.5", true), ("GZIP", true), ("*", true), ("gzip;q=0", false),
        ("br, deflate", false), ("identity", false), ("", false),
    ])
    func acceptEncodingIsParsed(header: String, accepts: Bool) {
        #expect(TrackerRoutes.accepts(gzip: header) == accepts)
    }
}
