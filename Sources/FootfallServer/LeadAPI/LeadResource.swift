import FootfallCore
import FootfallExport
import Foundation

/// A lead in the Lead API: the one JSON shape of a lead outside Footfall (``LeadJSON``),
/// shared with NDJSON files, webhooks and alerts.
typealias LeadResource = LeadJSON.Document

/// `GET /api/v1/leads`: one page of leads and the cursor of the next.
struct LeadPageResource: Encodable {
    let leads: [LeadResource]
    @Nullable var next_cursor: String?
}

/// `GET /api/v1/leads/changes`: leads changed after the cursor, in `change_seq` order.
/// `next_cursor` is always set: ask again with it to see later changes.
struct LeadChangesResource: Encodable {
    let changes: [LeadResource]
    let next_cursor: String
}

/// `GET /api/v1/leads/{id}/visits`: the lead's visits (journeys), newest first.
struct LeadVisitsResource: Encodable {
    let visits: [VisitResource]
    @Nullable var next_cursor: String?
}
