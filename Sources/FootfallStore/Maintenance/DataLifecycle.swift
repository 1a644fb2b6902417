import FootfallCore
import Foundation

/// The end of stored data's life: retention and data-subject requests (GDPR arts. 15, 17,
/// 20), each audit-logged, shared by the server's daily retention service, the CLI and the API.
public struct DataLifecycle: Sendable {
    public let catalog: Catalog
    public let store: any StoreMaintenance

    public init(catalog: Catalog, store: any StoreMaintenance) {
        self.catalog = catalog
        self.store = store
    }

    /// What retention removed from one site.
    public struct RetentionReport: Sendable, Equatable {
        public var siteKey: String
        /// Data before this time (ms since the epoch) was deleted.
        public var cutoff: Int64
        public var removed: RetentionResult
    }

    /// Deletes every site's data older than its `retention_days` at `now` (ms since the
    /// epoch): whole expired columnar segments and expired hot rows; then reclaims the space.
    /// - Parameter sites: the sites to enforce, all when nil.
    public func enforceRetention(sites: [Site]? = nil, now: Int64 = Timestamp.nowMs(), actor: String) async throws -> [RetentionReport] {
        var reports: [RetentionReport] = []
        var changed: [Site] = []
        let all = if let sites { sites } else { try await catalog.sites() }
        for site in all {
            let cutoff = now - Int64(site.privacy.retentionDays) * Timestamp.dayMs
            let removed = try await store.dropData(olderThan: cutoff, siteID: site.id)
            reports.append(RetentionReport(siteKey: site.key, cutoff: cutoff, removed: removed))
            guard removed != RetentionResult() else { continue }
            changed.append(site)
            try await catalog.audit(
                tenantID: site.tenantID, actor: actor, action: "retention",
                detail: "site \(site.key) before \(Timestamp.iso8601(cutoff)): \(removed.segments) segments, \(removed.hotVisits) visits, \(removed.hotEvents) events")
        }
        try await dataRemoved(from: changed)
        return reports
    }

    /// Erases the subject's events and visits everywhere (hot rows, rewritten segments, their
    /// leads, alert deliveries of the leads left empty, then the freed pages), audit-logged
    /// under a new receipt id.
    public func erase(_ subject: DataSubject, of site: Site, actor: String) async throws -> ErasureResult {
        let result = try await store.erase(subject, receipt: Self.newReceipt())
        try await catalog.forgetAlerts(leadIDs: result.emptiedLeadIDs)
        try await catalog.audit(
            tenantID: site.tenantID, actor: actor, action: "privacy.erase",
            detail: "receipt \(result.receipt) site \(site.key) \(subject.auditDescription): \(result.events) events, \(result.visits) visits, \(result.segmentsRewritten) segments rewritten")
        try await dataRemoved(from: [site])
        return result
    }

    /// The subject's portability document, audit-logged under a new receipt id.
    public func export(_ subject: DataSubject, of site: Site, actor: String, now: Int64 = Timestamp.nowMs()) async throws -> SubjectData {
        let (events, visits) = try await store.subjectData(subject)
        let receipt = Self.newReceipt()
        try await catalog.audit(
            tenantID: site.tenantID, actor: actor, action: "privacy.export",
            detail: "receipt \(receipt) site \(site.key) \(subject.auditDescription): \(events.count) events, \(visits.count) visits")
        return SubjectData(
            site: site.key, subject: subject.auditDescription, receipt: receipt, generatedAt: now, events: events, visits: visits)
    }

    /// Runs after retention or erasure removed data of `sites` (whose leads were already
    /// folded in the same transaction): the freed pages are rewritten so deleted rows do not
    /// linger in the file.
    public func dataRemoved(from sites: [Site]) async throws {
        guard !sites.isEmpty else { return }
        try await store.vacuum()
    }

    /// `rcpt_` and 16 random hex digits: quoted to the requester, found in the audit log.
    static func newReceipt() -> String {
        var generator = SystemRandomNumberGenerator()
        return "rcpt_" + (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexEncoded
    }
}
