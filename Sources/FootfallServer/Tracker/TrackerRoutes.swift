import Foundation
import Crypto
import Hummingbird

/// `GET /t.js`: the tracker, cacheable for five minutes and revalidated by ETag.
struct TrackerRoutes: Sendable {
    static let etag = "\"" + SHA256.hash(data: Array(TrackerBundle.script.utf8)).prefix(8)
        .map { String(format: "%02x", $0) }.joined() + "\""

    func register(on router: Router<FootfallRequestContext>) {
        router.get("/t.js") { request, _ in
            var headers: HTTPFields = [
                .contentType: "application/javascript; charset=utf-8", .eTag: Self.etag,
                .cacheControl: "public, max-age=300", .accessControlAllowOrigin: "*",
            ]
            if request.headers[.ifNoneMatch] == Self.etag {
                headers[.contentType] = nil
                return Response(status: .notModified, headers: headers)
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: TrackerBundle.script)))
        }
    }
}
