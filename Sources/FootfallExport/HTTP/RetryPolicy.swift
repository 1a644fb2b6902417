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

    /// Whether a response status is worth another attempt: 429 and 5xx.
    public static func isRetryable(status: Int) -> Bool {
        status == 429 || (500...599).contains(status)
    }
}
