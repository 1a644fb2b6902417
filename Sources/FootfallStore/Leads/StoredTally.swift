import FootfallCore
import GRDB

/// A lead's tally as `leads.tally` holds it: the ``LeadTally`` without its visitors and
/// pages, which are rows of ``LeadCounts``, plus what the lead shows of those rows, kept up
/// to date as they change — the distinct visitor count and the page views per key-page
/// pattern. Its record (``TallyRecord``) stays small however large the lead grows.
struct StoredTally: Codable, Equatable {
    /// As stored, `visitors` and `pages` are empty. After visits are folded in or out they
    /// hold the changes not yet written to ``LeadCounts`` (counts may be negative) until
    /// ``flush(leadID:settings:_:)``.
    var tally = LeadTally()
    /// Distinct visitor ids: how many visitor rows the lead has.
    var visitorCount = 0
    /// Page views per key-page pattern, only patterns hit, counted under `keyPatterns`.
    var keyPages: [String: Int] = [:]
    /// The site's key-page patterns when `keyPages` was counted; when the site's patterns
    /// differ, `keyPages` is counted again from the lead's page rows.
    var keyPatterns: [String] = []

    /// Writes the pending visitor and page changes to ``LeadCounts`` and brings
    /// `visitorCount` and `keyPages` up to date with them and with `settings`' patterns.
    /// - Throws: what ``LeadCounts/add(_:leadID:kind:key:_:)`` throws.
    mutating func flush(leadID: String, settings: LeadSettings, _ db: Database) throws {
        let patterns = settings.keyPagePatterns
        for (visitor, amount) in tally.visitors {
            visitorCount += try LeadCounts.add(amount, leadID: leadID, kind: .visitor, key: visitor, db)
        }
        for (path, amount) in tally.pages {
            _ = try LeadCounts.add(amount, leadID: leadID, kind: .page, key: path, db)
            if keyPatterns == patterns { settings.addKeyPageHits(path: path, count: amount, to: &keyPages) }
        }
        tally.visitors = [:]
        tally.pages = [:]
        if keyPatterns != patterns {
            keyPages = [:]
            for (path, count) in try LeadCounts.pages(leadID: leadID, db) {
                settings.addKeyPageHits(path: path, count: count, to: &keyPages)
            }
            keyPatterns = patterns
        }
    }
}
