@testable import FootfallServer
import Testing

@Suite struct RateLimiterTests {
    @Test func bucketDrainsThenRefillsAtTheMinuteRate() {
        let limiter = RateLimiter(perMinute: 60)  // one token a second
        let burst = (0..<60).map { _ in limiter.take(keyID: 1, now: 100) }
        #expect(burst.allSatisfy { $0.allowed })
        #expect(burst.last?.remaining == 0)
        #expect(burst.last?.resetSeconds == 60)
        let refused = limiter.take(keyID: 1, now: 100.5)
        #expect(!refused.allowed && refused.retryAfterSeconds == 1)
        #expect(limiter.take(keyID: 1, now: 101.1).allowed)
        #expect(!limiter.take(keyID: 1, now: 101.2).allowed)
        // Another key has its own bucket.
        #expect(limiter.take(keyID: 2, now: 101.2).remaining == 59)
    }

    @Test func idleTimeNeverOverfillsTheBucket() {
        let limiter = RateLimiter(perMinute: 600)
        _ = limiter.take(keyID: 1, now: 0)
        let later = limiter.take(keyID: 1, now: 3_600)
        #expect(later.remaining == 599 && later.limit == 600)
    }

    @Test func quotaRetryAfterReachesTheNextUTCMonth() {
        // 2025-11-30T23:59:00Z → 60 s (+1 rounding) to 2025-12-01.
        #expect(AccessMiddleware.secondsToNextMonth(from: 1_764_547_140_000) == 61)
    }
}
