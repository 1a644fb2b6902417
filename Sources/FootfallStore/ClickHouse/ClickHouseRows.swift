import FootfallCore
import Foundation

/// Events and visits as JSONEachRow lines for ClickHouse's `events` and `visits` tables
/// (``ClickHouseSchema``), and back from their `doc` column.
enum ClickHouseRows {
    private struct EventRecord: Encodable {
        var site_id: Int64, ts: Int64, event_id: String, visitor_id: Int64, type: String
        var org_domain: String, stored_ip: String, doc: String
    }

    private struct VisitRecord: Encodable {
        var site_id: Int64, started_at: Int64, id: Int64, version: UInt64, deleted: UInt8
        var ended_at: Int64, visitor_id: Int64, pageviews: Int, engaged_ms: Int64, pages: [String]
        var entry_page: String, exit_page: String, referrer: String, medium: String, source: String
        var campaign: String, browser: String, os: String, device: String, country: String
        var network_type: String, organisation: String, org_domain: String, doc: String
    }

    /// `events` as JSONEachRow text.
    static func events(_ events: [Event]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        var output: [UInt8] = []
        for event in events {
            let doc = String(decoding: try encoder.encode(event), as: UTF8.self)
            output += try encoder.encode(EventRecord(
                site_id: event.siteID, ts: event.timestamp, event_id: event.id, visitor_id: event.visitorID,
                type: event.type.rawValue, org_domain: event.network.domain, stored_ip: event.network.storedIP, doc: doc))
            output.append(UInt8(ascii: "\n"))
        }
        return output
    }

    /// Writes of `visits` at `version`, then tombstones (`deleted = 1`) of `removed` visits
    /// (site, start and id: their key), as JSONEachRow text.
    static func visits(_ visits: [Visit], removed: [Visit], version: UInt64) throws -> [UInt8] {
        let encoder = JSONEncoder()
        var output: [UInt8] = []
        for (visit, deleted) in visits.map({ ($0, UInt8(0)) }) + removed.map({ ($0, UInt8(1)) }) {
            let doc = deleted == 1 ? "" : String(decoding: try encoder.encode(visit), as: UTF8.self)
            output += try encoder.encode(VisitRecord(
                site_id: visit.siteID, started_at: visit.startedAt, id: visit.id, version: version, deleted: deleted,
                ended_at: visit.endedAt, visitor_id: visit.visitorID, pageviews: visit.pageviews, engaged_ms: visit.engagedMs,
                pages: visit.pages.map(\.path), entry_page: visit.entryPage, exit_page: visit.exitPage,
                referrer: visit.referrer, medium: visit.source.medium.rawValue, source: visit.source.source,
                campaign: visit.source.campaign, browser: visit.userAgent.browser, os: visit.userAgent.os,
                device: visit.userAgent.device.rawValue, country: visit.network.country,
                network_type: visit.network.networkType.rawValue, organisation: visit.network.organisation,
                org_domain: visit.network.domain, doc: doc))
            output.append(UInt8(ascii: "\n"))
        }
        return output
    }

    /// Decodes `doc` values (``ClickHouseClient/lines(_:)`` of a `doc` column).
    /// - Throws: ``ClickHouseError/unreadable(_:)`` for a value that is not the record's JSON.
    static func decode<Record: Decodable>(_ type: Record.Type, _ docs: [Substring]) throws -> [Record] {
        let decoder = JSONDecoder()
        return try docs.map { doc in
            do {
                return try decoder.decode(Record.self, from: Data(doc.utf8))
            } catch {
                throw ClickHouseError.unreadable("a stored \(Record.self) is not valid JSON: \(error)")
            }
        }
    }
}
