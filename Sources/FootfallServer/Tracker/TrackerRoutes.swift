import Crypto
import FootfallCore
import Foundation
import Hummingbird

/// Serves the tracker and each site's live tracker config:
///
/// - `GET /t.js`: the minified tracker, gzip-compressed when the client accepts it
///   (compressed once at startup), cacheable for five minutes and revalidated by ETag.
/// - `GET /c/SITE_KEY.json`: the site's ``TrackerConfig``, cacheable for ten seconds with
///   an ETag, so a `footfall site config` change applies to page loads within about 15 s
///   (the ``SiteDirectory`` refresh plus this max-age).
struct TrackerRoutes: Sendable {
    let sites: SiteDirectory

    static let script = Array(TrackerBundle.script.utf8)
    static let gzippedScript = Zlib.compress(script, level: 9, format: .gzip)
    static let etag = entityTag(of: script)
    /// The gzip representation is a different byte sequence, so it gets its own ETag.
    static let gzipETag = String(etag.dropLast()) + "-gz\""
    static let configMaxAge = 10

    static func entityTag(of bytes: [UInt8]) -> String {
        "\"" + SHA256.hash(data: bytes).prefix(8).hexEncoded + "\""
    }

    func register(on router: Router<FootfallRequestContext>) {
        router.get("/t.js") { request, _ in
            Self.scriptResponse(acceptEncoding: request.headers[.acceptEncoding], ifNoneMatch: request.headers[.ifNoneMatch])
        }
        router.get("/c/:file") { request, context in
            try await self.configResponse(file: context.parameters.get("file") ?? "", ifNoneMatch: request.headers[.ifNoneMatch])
        }
    }

    static func scriptResponse(acceptEncoding: String?, ifNoneMatch: String?) -> Response {
        let gzip = accepts(gzip: acceptEncoding)
        let etag = gzip ? gzipETag : etag
        var headers: HTTPFields = [
            .contentType: "application/javascript; charset=utf-8", .eTag: etag, .vary: "Accept-Encoding",
            .cacheControl: "public, max-age=300", .accessControlAllowOrigin: "*",
        ]
        if matches(ifNoneMatch, etag) {
            headers[.contentType] = nil
            return Response(status: .notModified, headers: headers)
        }
        if gzip { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: gzip ? gzippedScript : script)))
    }

    func configResponse(file: String, ifNoneMatch: String?) async throws -> Response {
        var headers: HTTPFields = [.accessControlAllowOrigin: "*"]
        guard file.hasSuffix(".json"), let site = try await sites.site(key: String(file.dropLast(5))) else {
            headers[.contentType] = "text/plain; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .notFound, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "unknown site\n")))
        }
        let (body, etag) = try TrackerConfig(site: site).encoded()
        headers[.eTag] = etag
        headers[.cacheControl] = "public, max-age=\(Self.configMaxAge)"
        if Self.matches(ifNoneMatch, etag) { return Response(status: .notModified, headers: headers) }
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Whether `Accept-Encoding` allows gzip (`gzip;q=0` refuses it).
    static func accepts(gzip header: String?) -> Bool {
        guard let header else { return false }
        for item in header.lowercased().split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.first == "gzip" || parts.first == "*" else { continue }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
        return false
    }

    /// `If-None-Match` holds `etag` (it may list several, or be `*`).
    static func matches(_ ifNoneMatch: String?, _ etag: String) -> Bool {
        guard let ifNoneMatch else { return false }
        return ifNoneMatch.split(separator: ",").contains {
            let tag = $0.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}

/// The tracker exactly as `/t.js` serves it, for `make bench` to report its size.
public enum ServedTracker {
    /// The minified script.
    public static var minified: [UInt8] { TrackerRoutes.script }
    /// The gzip body sent to clients that accept gzip.
    public static var gzipped: [UInt8] { TrackerRoutes.gzippedScript }
}
