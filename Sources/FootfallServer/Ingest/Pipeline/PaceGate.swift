import FootfallCore
import Synchronization

/// The shared ``PageviewPace`` of the ingest path.
final class PaceGate: Sendable {
    private let pace = Mutex(PageviewPace())

    /// Whether `visitor`, having just sent `pageviews` page views at `atMs` (ms since the
    /// epoch), is pacing like a bot.
    func isImpossible(visitor: VisitorID, pageviews: Int, atMs: Int64) -> Bool {
        pace.withLock { $0.record(visitor: visitor, pageviews: pageviews, atMs: atMs) }
    }
}
