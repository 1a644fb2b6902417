/// Keeps at most `limit` requests in any rolling `window`, e.g. HubSpot's private-app limit
/// of 190 requests per 10 seconds ("API usage guidelines and limits", Professional and
/// Enterprise accounts).
public actor RollingRateLimiter {
    let limit: Int
    let window: Duration
    let clock = ContinuousClock()
    /// Start times of the requests in the current window, oldest first (a ring of `limit`).
    var starts: [ContinuousClock.Instant] = []
    var oldest = 0

    /// - Parameters:
    ///   - limit: requests allowed per window, ≥ 1.
    ///   - window: the rolling window's length.
    public init(limit: Int, window: Duration) {
        self.limit = max(1, limit)
        self.window = window
    }

    /// Waits until one more request fits in the window, then counts it. The slot is taken
    /// before sleeping, so concurrent callers queue in order.
    public func acquire() async throws {
        let now = clock.now
        if starts.count < limit {
            starts.append(now)
            return
        }
        let slot = max(now, starts[oldest].advanced(by: window))
        starts[oldest] = slot
        oldest = (oldest + 1) % limit
        if slot > now { try await clock.sleep(until: slot) }
    }
}
