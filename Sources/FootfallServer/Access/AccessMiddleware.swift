import FootfallCore
import FootfallStore
import HTTPTypes
import Hummingbird

/// The one gate of `/api/v1`: authenticates the bearer key into ``Access``, applies the
/// key's rate limit (`RateLimit-*` headers on every answer, 429 + `Retry-After` beyond it)
/// and the tenant's monthly API call quota, and queues one audit row per request.
struct AccessMiddleware: RouterMiddleware {
    let authenticator: Authenticator
    let limiter: RateLimiter
    let usage: UsageMeter
    let audit: AuditTrail

    static let limitHeader = HTTPField.Name("RateLimit-Limit")!
    static let remainingHeader = HTTPField.Name("RateLimit-Remaining")!
    static let resetHeader = HTTPField.Name("RateLimit-Reset")!
    static let clockStart = ContinuousClock.now

    func handle(
        _ request: Request, context: FootfallRequestContext,
        next: (Request, FootfallRequestContext) async throws -> Response
    ) async throws -> Response {
        let access = try await authenticator.bearer(request)
        let elapsed = Self.clockStart.duration(to: .now).components
        let decision = limiter.take(keyID: access.key.id, now: Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
        let headers: HTTPFields = [
            Self.limitHeader: String(decision.limit), Self.remainingHeader: String(decision.remaining),
            Self.resetHeader: String(decision.resetSeconds),
        ]
        let now = Timestamp.nowMs()
        do {
            guard decision.allowed else {
                throw APIError.tooManyRequests(
                    "rate limit of \(decision.limit) requests per minute for this key exceeded",
                    retryAfterSeconds: decision.retryAfterSeconds)
            }
            guard usage.admitCall(tenantID: access.tenantID, now: now) else {
                throw APIError.tooManyRequests(
                    "this account's monthly API call quota is used up", retryAfterSeconds: Self.secondsToNextMonth(from: now))
            }
            if let name = Self.parameterHoldingNUL(request, context: context) {
                throw APIError.badParameter(name, "contains a NUL character (U+0000)")
            }
            var context = context
            context.access = access
            var response = try await next(request, context)
            response.headers.append(contentsOf: headers)
            record(request, context: context, access: access, status: response.status, at: now)
            return response
        } catch let error as APIError {
            record(request, context: context, access: access, status: error.status, at: now)
            throw error.adding(headers)
        } catch {
            context.logger.error("API request failed", metadata: ["error": "\(error)", "route": "\(context.endpointPath ?? "")"])
            record(request, context: context, access: access, status: .internalServerError, at: now)
            throw APIError.internalError.adding(headers)
        }
    }

    /// Queues the request's audit row: `<resource>.<read|create|update|delete>`, the route
    /// template, and the path parameter or `site` it was about. Never the query string or body.
    func record(_ request: Request, context: FootfallRequestContext, access: Access, status: HTTPResponse.Status, at: Int64) {
        let route = context.endpointPath ?? request.uri.path
        let resource = route.split(separator: "/").dropFirst(2).first.map(String.init) ?? "api"
        let verb = switch request.method {
        case .post: "create"
        case .patch, .put: "update"
        case .delete: "delete"
        default: "read"
        }
        let target = context.parameters.first.map { String($0.value) } ?? request.uri.queryParameters.get("site") ?? ""
        audit.record(AuditEntry(
            at: at, tenantID: access.tenantID, actor: access.actor, action: "\(resource).\(verb)",
            keyID: access.key.id, route: route, target: Self.printable(String(target.prefix(200))), status: Int(status.code)))
    }

    /// The first query or path parameter holding U+0000 (percent-encoded `%00`), if any:
    /// no parameter has a use for it, and storage cannot keep it.
    static func parameterHoldingNUL(_ request: Request, context: FootfallRequestContext) -> String? {
        for (name, value) in request.uri.queryParameters where name.utf8.contains(0) || value.utf8.contains(0) {
            return String(name)
        }
        return context.parameters.first { $0.value.utf8.contains(0) || $0.value.contains("%00") }.map { String($0.key) }
    }

    /// `text` with control characters (U+0000–U+001F, U+007F) replaced by U+FFFD, as audit
    /// rows keep it: the hash of an audit row is taken over exactly the text stored.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\u{FFFD}" : $0 }))
    }

    /// Seconds from `ms` (since the epoch) to the start of the next UTC month.
    static func secondsToNextMonth(from ms: Int64) -> Int {
        var step = ms
        let month = UsageMonth.of(ms)
        while UsageMonth.of(step) == month { step += 86_400_000 }
        let dayStart = step - step % 86_400_000
        return Int((dayStart - ms) / 1000) + 1
    }
}
