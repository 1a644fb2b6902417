import FootfallCore
import Foundation

/// Writes leads as CSV (RFC 4180: comma-separated, CRLF line ends, fields with commas,
/// quotes or line breaks quoted, quotes doubled), a header row before the first batch.
///
/// Visitors control some text (campaign names, page paths), and spreadsheets run a cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula: such a text cell
/// gets a leading `'` (OWASP "CSV Injection"); numbers are left alone.
public struct CSVLeadSink: LeadSink {
    public let maxBatchSize = 1_000
    let write: (Data) throws -> Void
    var wroteHeader = false
    var previewedHeader = false

    /// The columns, in order: every field of the Lead API's lead (``LeadJSON``), flattened.
    /// Times are ms since the Unix epoch; `key_pages`, `top_pages`, `sources` and
    /// `campaigns` are `name=count` joined by `;` (`%`, `=` and `;` inside a name written as
    /// `%25`, `%3D`, `%3B`), `score_explanation` is `signal=points` joined by `;`; `target_account` is `true`/`false` and the `account_*` columns are
    /// empty when it is false. Columns after `change_seq` were added later, so readers by
    /// position keep working.
    public static let columns = [
        "id", "site_id", "organisation", "domain", "country", "network_type", "score", "visits", "visitors",
        "returning_visits", "pageviews", "engaged_ms", "first_seen", "last_seen", "key_pages", "top_pages",
        "change_seq", "asn", "region", "city", "match_source", "confidence", "sources", "campaigns",
        "score_explanation", "target_account", "account_name", "account_industry", "account_employees",
        "account_owner", "account_tier", "updated_at",
    ]

    /// - Parameters:
    ///   - write: receives each encoded batch.
    ///   - headerWritten: true when appending to a file that already has the header row.
    public init(write: @escaping (Data) throws -> Void, headerWritten: Bool = false) {
        self.write = write
        self.wroteHeader = headerWritten
    }

    public mutating func send(_ leads: [Lead]) async throws -> SinkBatchResult {
        try write(Data(Self.text(leads, header: !wroteHeader).utf8))
        wroteHeader = true
        return .delivered(leads.count)
    }

    /// The rows `send` would write, with the header row before the first previewed batch.
    public mutating func preview(_ leads: [Lead]) throws -> Data {
        defer { previewedHeader = true }
        return Data(Self.text(leads, header: !previewedHeader).utf8)
    }

    static func text(_ leads: [Lead], header: Bool) -> String {
        var text = header ? columns.joined(separator: ",") + "\r\n" : ""
        for lead in leads {
            text += fields(lead).map(quoted).joined(separator: ",") + "\r\n"
        }
        return text
    }

    static func fields(_ lead: Lead) -> [String] {
        let counts = { (list: [LeadCount]) in list.map { "\(listName($0.name))=\($0.count)" }.joined(separator: ";") }
        let account = lead.account
        return [
            lead.id, String(lead.siteID), lead.organisation, lead.domain, lead.country, lead.networkType.rawValue,
            String(lead.score), String(lead.visits), String(lead.visitors), String(lead.returningVisits),
            String(lead.pageviews), String(lead.engagedMs), String(lead.firstSeen), String(lead.lastSeen),
            CRMFields.keyPages(lead), counts(lead.topPages), String(lead.changeSeq),
            String(lead.asn), lead.region, lead.city, lead.matchSource.rawValue, lead.confidence.rawValue,
            counts(lead.sources), counts(lead.campaigns),
            lead.scoreExplanation.map { "\($0.signal)=\($0.points)" }.joined(separator: ";"),
            String(lead.targetAccount), account?.name ?? "", account?.industry ?? "",
            account.map { String($0.employees) } ?? "", account?.owner ?? "", account?.tier ?? "",
            String(lead.updatedAt),
        ]
    }

    /// A name inside a `name=count;…` list, with the list's own separators escaped.
    static func listName(_ name: String) -> String {
        guard name.contains(where: { $0 == "%" || $0 == "=" || $0 == ";" }) else { return name }
        return name.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "=", with: "%3D")
            .replacingOccurrences(of: ";", with: "%3B")
    }

    static func quoted(_ field: String) -> String {
        let cell = neutralised(field)
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `field` with a leading `'` when a spreadsheet would read it as a formula.
    static func neutralised(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
              Double(field) == nil else { return field }
        return "'" + field
    }
}
