import Foundation
import Hummingbird

/// The rest of `/api/v1`, answered as problem+json after authentication like every API
/// answer: a documented path with an undocumented method is 405 with `Allow` (RFC 9110
/// §15.5.6), read from the OpenAPI document so the two cannot drift; any other path is 404.
struct UnknownRoutes: Sendable {
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    func register(on group: RouterGroup<FootfallRequestContext>) {
        for (path, allowed) in Self.documentedMethods() {
            let allow = Self.methods.filter { allowed.contains($0.rawValue.lowercased()) }.map(\.rawValue).joined(separator: ", ")
            for method in Self.methods where !allowed.contains(method.rawValue.lowercased()) {
                group.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw APIError(
                        status: .methodNotAllowed, title: "Method Not Allowed",
                        detail: "\(request.method) is not allowed on \(request.uri.path.prefix(200)); allowed: \(allow)",
                        headers: [.allow: allow])
                }
            }
        }
        for method in Self.methods {
            group.on("**", method: method) { request, _ -> Response in
                throw APIError.notFound("no endpoint \(request.method) \(request.uri.path.prefix(200)); see /api/openapi.json")
            }
        }
    }

    /// Each documented `/api/v1` path, relative to the group (`leads/{id}`), with its
    /// operations' methods in lower case.
    static func documentedMethods() -> [(path: String, methods: Set<String>)] {
        guard let document = try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any],
              let paths = document["paths"] as? [String: [String: Any]] else { return [] }
        return paths.compactMap { path, operations in
            guard path.hasPrefix("/api/v1/") else { return nil }
            return (String(path.dropFirst("/api/v1/".count)), Set(operations.keys))
        }.sorted { $0.path < $1.path }
    }
}
