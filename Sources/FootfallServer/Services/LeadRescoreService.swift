import FootfallCore
import FootfallStore
import Logging
import ServiceLifecycle

/// Keeps lead scores current without any ingest: every ``syncInterval`` it copies the sites'
/// tenants and lead settings from the catalog into the lead store (a `footfall site config`
/// change re-scores that site's leads), and once a day it re-scores every lead, announcing
/// (new `change_seq`) those whose recency-decayed score moved by ``minimumScoreChange`` or
/// more, so feed consumers and CRM exports see leads cool down.
struct LeadRescoreService: Service {
    let store: any LeadAdministrator
    let catalog: Catalog
    /// The time the daily rescore is scheduled by, ms since the epoch (the store's scoring clock).
    let clock: @Sendable () -> Int64
    var syncInterval = Duration.seconds(5)
    var logger = Logger(label: "footfall.leads")
    /// When the last daily rescore ran, ms since the epoch.
    var lastRescoreAt: Int64?

    /// Score moves smaller than this are not announced (they would churn every CRM sync).
    static let minimumScoreChange = 5

    func run() async throws {
        let initial = self
        try? await cancelWhenGracefulShutdown {
            var service = initial
            while true {
                do {
                    try await service.step()
                } catch {
                    service.logger.error("lead settings sync or rescore failed (retried): \(error)")
                }
                try await Task.sleep(for: service.syncInterval)
            }
        }
    }

    /// One round: sync site settings; re-score if a day passed since the last rescore.
    /// - Returns: how many leads got a new `change_seq` in this round.
    @discardableResult
    mutating func step() async throws -> Int {
        var bumped = try await store.registerLeadSites(catalog.sites())
        let now = clock()
        guard let last = lastRescoreAt else {
            lastRescoreAt = now
            return bumped
        }
        if now - last >= Timestamp.msPerDay {
            bumped += try await store.rescoreLeads(minimumScoreChange: Self.minimumScoreChange)
            lastRescoreAt = now
        }
        return bumped
    }
}
