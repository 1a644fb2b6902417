import Hummingbird

/// Any other path under `/api/v1`: 404 problem+json (after authentication, like every API answer).
struct UnknownRoutes: Sendable {
    func register(on group: RouterGroup<FootfallRequestContext>) {
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            group.on("**", method: method) { request, _ -> Response in
                throw APIError.notFound("no endpoint \(request.method) \(request.uri.path.prefix(200)); see /api/openapi.json")
            }
        }
    }
}
