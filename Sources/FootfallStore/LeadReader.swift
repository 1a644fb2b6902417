import FootfallCore

/// Leads as stored, for the Lead API, the dashboard and the CLI: lists with filters and
/// cursors, one lead, a lead's visits, a tenant's target accounts, and (``LeadChangeFeed``)
/// the change feed the exporters follow. Leads are read from the lead store, never
/// re-aggregated from visits.
public protocol LeadReader: LeadChangeFeed {
    /// Leads matching `query` that have visits, in its sort order, at most `query.limit`,
    /// with the cursor of the next page (nil on the last page).
    /// - Throws: the backend's storage error when the store cannot be read.
    func leads(_ query: LeadQuery) async throws -> LeadPage

    /// The same page as ``leads(_:)``, each lead as the Lead API's JSON object (``LeadJSON``)
    /// exactly as stored.
    /// - Throws: the backend's storage error when the store cannot be read.
    func leadDocuments(_ query: LeadQuery) async throws -> (documents: [String], nextCursor: LeadCursor?)

    /// The lead with `id` if it belongs to one of `siteIDs` and has visits; nil otherwise
    /// (another tenant's lead is not found).
    /// - Throws: the backend's storage error when the store cannot be read.
    func lead(id: String, siteIDs: [Int64]) async throws -> Lead?

    /// A lead's visits, newest first (by start time, then visit id), hot or compacted alike.
    /// - Parameters:
    ///   - lead: the lead (its site bounds the search).
    ///   - limit: most visits returned.
    ///   - before: resume after this visit (the previous page's `next`); nil for the newest.
    /// - Returns: the visits and the cursor of the next page, nil on the last page.
    /// - Throws: the backend's storage error when the store cannot be read.
    func visits(of lead: Lead, limit: Int, before: VisitCursor?) async throws -> (visits: [Visit], next: VisitCursor?)

    /// A tenant's target accounts, by domain.
    /// - Throws: the backend's storage error when the store cannot be read.
    func accounts(tenantID: Int64) async throws -> [Account]
}
