import FootfallCore
import FootfallStore
import Logging
import ServiceLifecycle

/// Enforces every site's `retention_days` a minute after start and then once a day, the
/// same run as `footfall retention run` (``DataLifecycle/enforceRetention(sites:now:actor:)``).
struct RetentionService: Service {
    let lifecycle: DataLifecycle
    /// Delay before the first run, so it does not compete with start-up.
    var firstRunDelay: Duration = .seconds(60)
    var interval: Duration = .seconds(Timestamp.dayMs / 1000)
    var logger = Logger(label: "footfall.retention")

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            try await Task.sleep(for: firstRunDelay)
            while true {
                do {
                    let reports = try await lifecycle.enforceRetention(actor: "server")
                    for report in reports where report.removed != RetentionResult() {
                        logger.info("retention \(report.siteKey): \(report.removed.segments) segments, \(report.removed.hotVisits) visits, \(report.removed.hotEvents) events")
                    }
                } catch {
                    logger.error("retention run failed (retried tomorrow): \(error)")
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
