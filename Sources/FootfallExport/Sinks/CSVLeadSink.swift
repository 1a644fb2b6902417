import FootfallCore
import Foundation

/// Writes leads as CSV (RFC 4180: comma-separated, CRLF line ends, fields with commas,
/// quotes or line breaks quoted, quotes doubled), a header row before the first batch.
public struct CSVLeadSink: LeadSink {
    public let maxBatchSize = 1_000
    let write: (Data) throws -> Void
    var wroteHeader = false

    /// The columns, in order. Times are ms since the Unix epoch; `key_pages` is
    /// `pattern=hits` joined by `;`.
    public static let columns = [
        "id", "site_id", "organisation", "domain", "country", "network_type", "score", "visits", "visitors",
        "returning_visits", "pageviews", "engaged_ms", "first_seen", "last_seen", "key_pages", "top_pages",
        "change_seq",
    ]

    /// - Parameters:
    ///   - write: receives each encoded batch.
    ///   - headerWritten: true when appending to a file that already has the header row.
    public init(write: @escaping (Data) throws -> Void, headerWritten: Bool = false) {
        self.write = write
        self.wroteHeader = headerWritten
    }

    public mutating func send(_ leads: [Lead]) async throws -> SinkBatchResult {
        var text = ""
        if !wroteHeader { text += Self.columns.joined(separator: ",") + "\r\n" }
        for lead in leads {
            let fields: [String] = [
                lead.id, String(lead.siteID), lead.organisation, lead.domain, lead.country, lead.networkType.rawValue,
                String(lead.score), String(lead.visits), String(lead.visitors), String(lead.returningVisits),
                String(lead.pageviews), String(lead.engagedMs), String(lead.firstSeen), String(lead.lastSeen),
                CRMFields.keyPages(lead), lead.topPages.map { "\($0.name)=\($0.count)" }.joined(separator: ";"),
                String(lead.changeSeq),
            ]
            text += fields.map(Self.quoted).joined(separator: ",") + "\r\n"
        }
        try write(Data(text.utf8))
        wroteHeader = true
        return .delivered(leads.count)
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
