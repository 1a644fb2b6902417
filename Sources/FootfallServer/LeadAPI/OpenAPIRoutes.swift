import Hummingbird

/// `GET /api/openapi.json`: the Lead API's OpenAPI 3.1 document (public, no key needed).
/// Edit `LeadAPI/openapi.json` and run `scripts/embed-openapi.sh`; `make test` fails on a
/// stale embedding and schemathesis checks the live server against the document.
struct OpenAPIRoutes: Sendable {
    func register(on router: Router<FootfallRequestContext>) {
        router.get("/api/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}
