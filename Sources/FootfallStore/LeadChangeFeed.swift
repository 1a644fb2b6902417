import FootfallCore

/// Lead changes in `change_seq` order: the sync feed behind `GET /api/v1/leads/changes`
/// and the cursor every CRM export follows.
///
/// Each lead appears once, in its latest state, at its latest `changeSeq`; `changeSeq` is
/// strictly increasing per tenant, so a consumer that stores the last one it processed
/// and asks again sees every later change with no gap.
public protocol LeadChangeFeed: Sendable {
    /// Leads of `tenantID` (optionally one site) whose `changeSeq` is greater than `after`,
    /// ascending by `changeSeq`, at most `limit` of them.
    /// - Throws: the backend's storage error when the store cannot be read.
    func leadChanges(tenantID: Int64, siteID: Int64?, after: Int64, limit: Int) async throws -> [Lead]
}
