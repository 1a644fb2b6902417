import Synchronization

/// Per-client-IP and per-site token buckets (`--ip-rate`, `--site-rate`), so one client
/// cannot starve the others: a request over its bucket gets 429 with `Retry-After`.
final class FloodLimits: Sendable {
    /// Sustained requests per second and burst size of one bucket; a rate of 0 disables it.
    struct Rate: Sendable, Equatable {
        var perSecond: Double
        var burst: Double

        /// No limit.
        static let off = Rate(perSecond: 0, burst: 0)
    }

    struct Bucket {
        var tokens: Double
        /// Seconds on the monotonic clock when `tokens` was computed.
        var at: Double
    }

    let ipRate: Rate
    let siteRate: Rate
    private let buckets = Mutex(([String: Bucket](), [String: Bucket]()))

    /// Most buckets of each kind kept; beyond it idle (refilled) buckets are forgotten, so
    /// spoofed addresses cannot grow memory without bound.
    static let maxBuckets = 100_000

    init(ip: Rate = .off, site: Rate = .off) {
        ipRate = ip
        siteRate = site
    }

    /// Takes one token from the client's and the site's bucket.
    /// - Parameter now: seconds on a monotonic clock.
    /// - Returns: nil when admitted, else seconds until a retry can succeed (≥ 1).
    func admit(ip: String, siteKey: String, now: Double) -> Int? {
        buckets.withLock { buckets in
            if let wait = Self.take(&buckets.0, key: ip, rate: ipRate, now: now) { return wait }
            return Self.take(&buckets.1, key: siteKey, rate: siteRate, now: now)
        }
    }

    static func take(_ buckets: inout [String: Bucket], key: String, rate: Rate, now: Double) -> Int? {
        guard rate.perSecond > 0 else { return nil }
        var bucket = buckets[key] ?? Bucket(tokens: rate.burst, at: now)
        bucket.tokens = min(rate.burst, bucket.tokens + (now - bucket.at) * rate.perSecond)
        bucket.at = now
        guard bucket.tokens >= 1 else {
            buckets[key] = bucket
            return max(1, Int(((1 - bucket.tokens) / rate.perSecond).rounded(.up)))
        }
        bucket.tokens -= 1
        if buckets[key] == nil && buckets.count >= maxBuckets {
            let refill = rate.burst / rate.perSecond
            buckets = buckets.filter { now - $0.value.at < refill }
            if buckets.count >= maxBuckets { buckets.removeAll() }
        }
        buckets[key] = bucket
        return nil
    }
}
