import FootfallCore
import FootfallExport
import Foundation
import Hummingbird

/// A lead in the Lead API: the one JSON shape of a lead outside Footfall (``LeadJSON``),
/// shared with NDJSON files, webhooks and alerts.
typealias LeadResource = LeadJSON.Document

/// `GET /api/v1/leads`: `{"leads":[…],"next_cursor":…}`, spliced from the leads' stored
/// documents (``LeadJSON``) so a page of 100 leads is served without decoding any.
enum LeadListBody {
    /// - Parameter nextCursor: a ``LeadCursor`` token (digits, `.`, `ld_` and hex: nothing to escape).
    static func response(documents: [String], nextCursor: String?) -> Response {
        var buffer = ByteBuffer()
        buffer.writeString("{\"leads\":[")
        for (index, document) in documents.enumerated() {
            if index > 0 { buffer.writeString(",") }
            buffer.writeString(document)
        }
        buffer.writeString("],\"next_cursor\":" + (nextCursor.map { "\"\($0)\"" } ?? "null") + "}")
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }
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
