import FootfallCore
import FootfallStore
import Foundation

/// Sends queued alert deliveries and records every attempt in the delivery log.
///
/// One HTTP attempt per due delivery per round; a 429, a 5xx or a lost connection is tried
/// again later under ``retryPolicy`` — after the receiver's `Retry-After` when it sends one
/// (capped at the policy's longest delay) — with the retry state in the catalog, so it
/// survives a restart; any other 4xx fails the delivery at once. Each request carries
/// `Footfall-Delivery: <id>`, the same on every attempt: delivery is at least once, and
/// receivers dedupe on that id. Webhook requests are signed (``WebhookSignature``).
public struct AlertDispatcher: Sendable {
    let catalog: Catalog
    let environment: [String: String]
    let client: ExportHTTPClient
    let retryPolicy: RetryPolicy
    let clock: @Sendable () -> Int64

    /// The header carrying the delivery id.
    public static let deliveryHeader = "Footfall-Delivery"
    /// 8 attempts over about four minutes at most: backoff with full jitter from 1 s, at most 2 min apart.
    public static let defaultRetryPolicy = RetryPolicy(maxAttempts: 8, baseDelay: 1, maxDelay: 120)

    /// - Parameters:
    ///   - catalog: rules and the delivery queue.
    ///   - environment: where `secret_env` / `slack_url_env` are read, at every attempt.
    ///   - retryPolicy: attempts and backoff across rounds.
    ///   - timeout: seconds one attempt may take.
    ///   - clock: ms since the epoch.
    public init(
        catalog: Catalog, environment: [String: String], retryPolicy: RetryPolicy = Self.defaultRetryPolicy,
        timeout: Double = 10, clock: @escaping @Sendable () -> Int64 = { Timestamp.nowMs() }
    ) {
        self.catalog = catalog
        self.environment = environment
        // One attempt per call (`attempt`): the retries are this type's, spaced across rounds.
        self.client = ExportHTTPClient(timeout: timeout)
        self.retryPolicy = retryPolicy
        self.clock = clock
    }

    /// Attempts every due delivery once (concurrently) and records the outcomes.
    /// - Returns: how many attempts were made.
    /// - Throws: the catalog's storage errors.
    @discardableResult
    public func deliverDue(limit: Int = 50) async throws -> Int {
        let due = try await catalog.dueAlertDeliveries(now: clock(), limit: limit)
        guard !due.isEmpty else { return 0 }
        var rules: [String: AlertRule] = [:]
        for rule in try await catalog.alertRules() { rules["\(rule.tenantID)/\(rule.name)"] = rule }
        let outcomes = await withTaskGroup(of: (String, AlertAttempt).self) { group in
            for delivery in due {
                let rule = rules["\(delivery.tenantID)/\(delivery.rule)"]
                group.addTask { (delivery.id, await attempt(delivery, rule: rule)) }
            }
            var outcomes: [(String, AlertAttempt)] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        for (id, outcome) in outcomes { try await catalog.recordAlertAttempt(id: id, outcome, at: clock()) }
        return outcomes.count
    }

    /// One attempt at `delivery` under `rule` (nil: the rule is gone, the delivery fails).
    /// `delivery.attempts` is the number made before this one.
    public func attempt(_ delivery: AlertDelivery, rule: AlertRule?) async -> AlertAttempt {
        guard let rule else { return AlertAttempt(httpStatus: nil, error: "alert rule removed") }
        let number = delivery.attempts + 1
        let channel: AlertChannel
        do {
            channel = try AlertChannel.resolve(rule, environment: environment)
        } catch {
            // A missing secret may be fixed by the operator: retried like a failed request.
            return AlertAttempt(httpStatus: nil, error: "\(error)", retryAt: retryAt(afterAttempt: number))
        }
        var headers = [(Self.deliveryHeader, delivery.id)]
        let body: Data
        do {
            body = try AlertMessage.body(for: channel, delivery: delivery, trigger: rule.trigger)
        } catch {
            return AlertAttempt(httpStatus: nil, error: "cannot encode the alert: \(error)")
        }
        if case .webhook(_, let secret) = channel {
            headers.append((WebhookSignature.header, WebhookSignature.sign(body: body, secret: secret, timestamp: clock() / 1_000)))
        }
        do {
            let response = try await client.attempt(.POST, channel.url, headers: headers, json: body)
            if (200...299).contains(response.status) { return AlertAttempt(httpStatus: response.status) }
            let text = channel.scrubbed(String(decoding: response.body.prefix(200), as: UTF8.self))
            guard RetryPolicy.isRetryable(status: response.status) else {
                return AlertAttempt(httpStatus: response.status, error: "receiver answered \(response.status): \(text)")
            }
            let retryAfter = response.header("Retry-After").flatMap { RetryPolicy.retryAfterSeconds($0) }
            return AlertAttempt(
                httpStatus: response.status, error: "receiver answered \(response.status): \(text)",
                retryAt: retryAt(afterAttempt: number, retryAfter: retryAfter))
        } catch {
            return AlertAttempt(httpStatus: nil, error: channel.scrubbed("\(error)"), retryAt: retryAt(afterAttempt: number))
        }
    }

    /// When attempt `attempt + 1` is due (ms since the epoch): `retryAfter` seconds from now
    /// when the receiver asked for it, else the policy's backoff; nil when the policy allows
    /// no more attempts.
    func retryAt(afterAttempt attempt: Int, retryAfter: Double? = nil) -> Int64? {
        guard attempt < retryPolicy.maxAttempts else { return nil }
        var random = SystemRandomNumberGenerator()
        return clock() + Int64(retryPolicy.delay(afterAttempt: attempt, retryAfter: retryAfter, using: &random) * 1_000)
    }
}
