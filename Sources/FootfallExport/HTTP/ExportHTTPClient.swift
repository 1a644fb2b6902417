import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The one HTTP client of the remote sinks (async-http-client): applies the rolling rate
/// limit before each attempt, retries 429s, 5xx and connection failures under the
/// ``RetryPolicy``, and honours `Retry-After` and `X-RateLimit-Remaining`/`-Reset` headers.
///
/// Requests are idempotent unless the caller says otherwise: after a connection lost
/// mid-request the same request is sent again.
public struct ExportHTTPClient: Sendable {
    /// A response as the sinks read it.
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: Data

        /// The first value of header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        }
    }

    let retry: RetryPolicy
    let rateLimiter: RollingRateLimiter?
    /// Per-attempt deadline, seconds.
    let timeout: Double
    let headerPause = HeaderPause()

    /// - Parameters:
    ///   - retry: attempts and backoff.
    ///   - rateLimiter: the target's request budget, if it publishes one.
    ///   - timeout: seconds one attempt may take, connect to last byte.
    public init(retry: RetryPolicy = RetryPolicy(), rateLimiter: RollingRateLimiter? = nil, timeout: Double = 30) {
        self.retry = retry
        self.rateLimiter = rateLimiter
        self.timeout = timeout
    }

    /// Sends a request, retrying as the policy allows.
    /// - Parameter idempotent: false for a request that must not be repeated blindly (a
    ///   create): then only a 429 — the target's word that it did nothing — is retried, and
    ///   the caller looks before it tries again.
    /// - Returns: the first response whose status is not retryable (the caller reads 4xx).
    /// - Throws: ``SinkError/rejected(status:body:)`` when the last attempt still got 429/5xx,
    ///   ``SinkError/unreachable(_:)`` when it failed to connect or timed out.
    public func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], json body: Data? = nil,
                     idempotent: Bool = true) async throws -> Response
    {
        var random = SystemRandomNumberGenerator()
        var number = 0
        while true {
            number += 1
            let response: Response
            do {
                response = try await attempt(method, url, headers: headers, json: body)
            } catch let error as SinkError {
                guard number < retry.maxAttempts, idempotent else { throw error }
                try await Task.sleep(for: .seconds(retry.delay(afterAttempt: number, retryAfter: nil, using: &random)))
                continue
            }
            guard RetryPolicy.isRetryable(status: response.status) else { return response }
            guard number < retry.maxAttempts, idempotent || response.status == 429 else {
                throw SinkError.rejected(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
            }
            let retryAfter = response.header("Retry-After").flatMap { RetryPolicy.retryAfterSeconds($0) }
            try await Task.sleep(for: .seconds(retry.delay(afterAttempt: number, retryAfter: retryAfter, using: &random)))
        }
    }

    /// One attempt whatever the answer: what ``send(_:_:headers:json:idempotent:)`` repeats,
    /// and what callers that space their own retries (alerts) call. The header pause and the
    /// rate limit apply; any status is returned.
    /// - Throws: ``SinkError/unreachable(_:)`` when it failed to connect or timed out;
    ///   `CancellationError`.
    public func attempt(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], json body: Data? = nil)
        async throws -> Response
    {
        try await headerPause.wait()
        try await rateLimiter?.acquire()
        do {
            let response = try await execute(method, url, headers: headers, json: body)
            await headerPause.note(response)
            return response
        } catch let error as CancellationError {
            throw error
        } catch {
            throw SinkError.unreachable("\(error)")
        }
    }

    private func execute(_ method: HTTPMethod, _ url: String, headers: [(String, String)], json body: Data?) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "footfall-export")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1_000)))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Response(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Data(bytes.readableBytesView))
    }
}

/// A pause some targets ask for in headers: `X-RateLimit-Remaining: 0` with
/// `X-RateLimit-Reset: <seconds>` (Pipedrive's token-based limits) means no request
/// before the reset.
actor HeaderPause {
    var until: ContinuousClock.Instant?

    func note(_ response: ExportHTTPClient.Response) {
        guard response.header("X-RateLimit-Remaining") == "0",
              let reset = response.header("X-RateLimit-Reset").flatMap(Double.init), reset > 0 else { return }
        until = ContinuousClock.now.advanced(by: .milliseconds(Int64(min(reset, 60) * 1_000)))
    }

    func wait() async throws {
        guard let until, until > ContinuousClock.now else { return }
        try await ContinuousClock().sleep(until: until)
    }
}
