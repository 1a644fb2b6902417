import FootfallCore
import FootfallExport
import FootfallStore
import Logging
import ServiceLifecycle

/// Lead alerts as leads change: every ``interval`` it follows the lead change feed
/// (``AlertFeedFollower``: compares each changed lead with its last seen state and queues
/// deliveries for the rules that fire), then sends the due deliveries (``AlertDispatcher``:
/// signed webhook or Slack, retried with backoff, logged in the catalog). Ingest never waits
/// for it; queued deliveries survive a restart. Once a day it drops log entries older than
/// ``logRetentionMs``.
struct AlertService: Service {
    let follower: AlertFeedFollower
    let dispatcher: AlertDispatcher
    let catalog: Catalog
    var interval = Duration.milliseconds(500)
    var logger = Logger(label: "footfall.alerts")

    /// How long the delivery log keeps final entries.
    static let logRetentionMs = 30 * Timestamp.dayMs

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var lastPrune: Int64 = 0
            while true {
                do {
                    let queued = try await follower.follow()
                    if queued > 0 { logger.info("queued \(queued) lead alert(s)") }
                    try await dispatcher.deliverDue()
                    let now = Timestamp.nowMs()
                    if now - lastPrune >= Timestamp.dayMs {
                        try await catalog.pruneAlertDeliveries(before: now - Self.logRetentionMs)
                        lastPrune = now
                    }
                } catch {
                    logger.error("lead alerts round failed (retried): \(error)")
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
