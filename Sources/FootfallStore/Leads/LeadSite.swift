import FootfallCore
import Foundation
import GRDB

/// A site as the lead store knows it: its tenant (for the change feed and accounts) and its
/// scoring settings, copied from the catalog by ``SQLiteEventStore/registerLeadSites(_:)``.
struct LeadSite {
    var siteID: Int64
    var tenantID: Int64
    var settings: LeadSettings

    static func fetch(_ db: Database, siteID: Int64) throws -> LeadSite? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM lead_sites WHERE site_id = ?"), arguments: [siteID])
        else { return nil }
        let text: String = row["settings"]
        return LeadSite(
            siteID: siteID, tenantID: row["tenant_id"],
            settings: try JSONDecoder().decode(LeadSettings.self, from: Data(text.utf8)))
    }
}
