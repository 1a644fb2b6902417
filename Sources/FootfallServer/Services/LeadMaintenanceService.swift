import FootfallStore
import Logging
import ServiceLifecycle

/// Folds the visit changes ingest committed into their leads every ``interval``
/// (``LeadAdministrator/settleLeads()``), so leads follow the visit commit instead of being
/// rebuilt inside it: a lead touched by many commits in one interval is written once. Lead
/// reads settle on their own, so this bounds how long the change feed's followers (alerts,
/// exports) wait and how many visits a settle folds at once.
struct LeadMaintenanceService: Service {
    let store: any LeadAdministrator
    var interval = Duration.milliseconds(500)
    var logger = Logger(label: "footfall.leads")

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: interval)
                do {
                    try await store.settleLeads()
                } catch {
                    logger.error("folding visits into leads failed (they stay pending, retried): \(error)")
                }
            }
        }
    }
}
