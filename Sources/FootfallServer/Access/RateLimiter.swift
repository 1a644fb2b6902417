import Synchronization

/// Per-key token buckets: each key may burst up to `perMinute` requests, and regains
/// `perMinute / 60` requests a second. The limit is `footfall serve --api-rate-limit`
/// (default 600 requests a minute).
final class RateLimiter: Sendable {
    /// One request's verdict, rendered as `RateLimit-*` headers (and `Retry-After` on 429).
    struct Decision: Equatable {
        var allowed: Bool
        /// Bucket size: requests per minute.
        var limit: Int
        /// Whole requests left in the bucket after this one.
        var remaining: Int
        /// Seconds until the bucket is full again.
        var resetSeconds: Int
        /// Seconds until the next request would be allowed; 0 when allowed.
        var retryAfterSeconds: Int
    }

    private struct Bucket {
        var tokens: Double
        var updatedAt: Double
    }

    let perMinute: Int
    private let buckets = Mutex([Int64: Bucket]())

    /// - Parameter perMinute: requests a key may make per minute (≥ 1).
    init(perMinute: Int) {
        self.perMinute = max(1, perMinute)
    }

    /// Takes one token from key `keyID`'s bucket at `now` (seconds on a monotonic clock).
    func take(keyID: Int64, now: Double) -> Decision {
        let capacity = Double(perMinute), perSecond = Double(perMinute) / 60
        return buckets.withLock { buckets in
            var bucket = buckets[keyID] ?? Bucket(tokens: capacity, updatedAt: now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updatedAt) * perSecond)
            bucket.updatedAt = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[keyID] = bucket
            return Decision(
                allowed: allowed, limit: perMinute, remaining: Int(bucket.tokens.rounded(.down)),
                resetSeconds: Int(((capacity - bucket.tokens) / perSecond).rounded(.up)),
                retryAfterSeconds: allowed ? 0 : max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))))
        }
    }
}
