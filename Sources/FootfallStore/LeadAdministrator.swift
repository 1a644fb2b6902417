import FootfallCore

/// Changes to leads: folding committed visit changes in (``settleLeads()``), and those that
/// do not come from traffic: the sites' lead settings copied from the catalog, the daily
/// re-score, a rebuild from stored visits and a tenant's target accounts. Every lead these
/// change gets a new `change_seq`, so the change feed announces it.
public protocol LeadAdministrator: Sendable {
    /// Folds the visit changes committed since the last settle into their leads; each lead
    /// touched is re-scored and gets a new `change_seq`. Ingest commits visits without
    /// touching leads, so many commits fold into one lead write. Lead reads settle first,
    /// so they always match the committed visits; the server also settles a few times a
    /// second so the change feed's followers (exports, alerts) see changes promptly.
    /// - Returns: how many visits were folded.
    /// - Throws: the backend's storage error; the visits stay pending then.
    @discardableResult
    func settleLeads() async throws -> Int

    /// Copies sites' tenants and lead-scoring settings from the catalog into the lead store,
    /// re-scoring the leads of sites that are new here or whose settings changed.
    /// - Returns: how many leads got a new `change_seq`.
    /// - Throws: the backend's storage error; nothing is changed then.
    @discardableResult
    func registerLeadSites(_ sites: [Site]) async throws -> Int

    /// Re-scores every lead at the store's clock (recency decay) and announces those whose
    /// score moved by at least `minimumScoreChange` points.
    /// - Returns: how many leads got a new `change_seq`.
    /// - Throws: the backend's storage error; nothing is changed then.
    @discardableResult
    func rescoreLeads(minimumScoreChange: Int) async throws -> Int

    /// Re-derives the leads of `siteIDs` from their stored visits, all or nothing.
    /// - Returns: how many leads (with visits) the sites have afterwards.
    /// - Throws: ``CorruptSegment`` when stored visits cannot be read, or the backend's
    ///   storage error; the previous leads are kept then.
    @discardableResult
    func rebuildLeads(siteIDs: [Int64]) async throws -> Int

    /// Replaces a tenant's target accounts (all or nothing) and re-scores its leads.
    /// - Returns: how many leads got a new `change_seq`.
    /// - Throws: the backend's storage error; nothing is changed then.
    @discardableResult
    func replaceAccounts(tenantID: Int64, with accounts: [Account]) async throws -> Int
}
