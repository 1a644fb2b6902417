import Foundation

/// The one retry policy of every remote sink: exponential backoff with full jitter
/// (AWS Architecture Blog, "Exponential Backoff And Jitter"), honouring a target's
/// `Retry-After` when it gives one.
public struct RetryPolicy: Sendable {
    /// Attempts per request, the first included.
    public var maxAttempts: Int
    /// Backoff before the second attempt, seconds; doubles per attempt.
    public var baseDelay: Double
    /// Longest wait between attempts, seconds (also caps `Retry-After`).
    public var maxDelay: Double

    public init(maxAttempts: Int = 6, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Seconds to wait before attempt `attempt + 1` (`attempt` ≥ 1): the target's
    /// `retryAfter` when given, else a uniform draw in [0, min(maxDelay, base·2^(attempt−1))].
    public func delay<R: RandomNumberGenerator>(afterAttempt attempt: Int, retryAfter: Double?, using random: inout R) -> Double {
        if let retryAfter { return min(max(retryAfter, 0), maxDelay) }
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(attempt - 1, 30)))
        return Double.random(in: 0...ceiling, using: &random)
    }

    /// Seconds a `Retry-After` header value asks for (RFC 9110 §10.2.3): delta-seconds, or
    /// an HTTP-date (IMF-fixdate, RFC 9110 §5.6.7) counted from `now` (0 when it has passed).
    /// - Returns: nil when the value is neither.
    public static func retryAfterSeconds(_ value: String, now: Date = Date()) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds >= 0 { return seconds }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        guard let date = format.date(from: text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// Whether a response status is worth another attempt: 429 and 5xx.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || (500...599).contains(status)
    }
}
