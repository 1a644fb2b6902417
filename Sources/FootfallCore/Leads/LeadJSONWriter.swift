import Foundation

/// Writes ``LeadJSON``'s shape of a lead directly, byte for byte what `LeadJSON.encoder()`
/// makes of a ``LeadJSON/Document`` (keys sorted, slashes unescaped; tests compare the two
/// over generated and unusual leads). Every lead a settle touches gets its document
/// written; through `JSONEncoder` that was about a quarter of a settle's time (perf).
/// `key_pages`, whose keys are the site's own patterns, still goes through `JSONEncoder`,
/// so its key order is Foundation's.
enum LeadJSONWriter {
    static func write(_ lead: Lead) throws -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(1_024)
        out.append(UInt8(ascii: "{"))
        if let account = lead.account {
            key("account", &out, first: true)
            out.append(UInt8(ascii: "{"))
            key("domain", &out, first: true); string(account.domain, &out)
            key("employees", &out); integer(account.employees, &out)
            key("industry", &out); string(account.industry, &out)
            key("name", &out); string(account.name, &out)
            key("owner", &out); string(account.owner, &out)
            key("tier", &out); string(account.tier, &out)
            out.append(UInt8(ascii: "}"))
        }
        key("asn", &out, first: lead.account == nil); integer(lead.asn, &out)
        key("campaigns", &out); counts(lead.campaigns, &out)
        key("change_seq", &out); integer(lead.changeSeq, &out)
        key("city", &out); string(lead.city, &out)
        key("confidence", &out); string(lead.confidence.rawValue, &out)
        key("country", &out); string(lead.country, &out)
        key("domain", &out); string(lead.domain, &out)
        key("engaged_ms", &out); integer(lead.engagedMs, &out)
        key("first_seen", &out); integer(lead.firstSeen, &out)
        key("id", &out); string(lead.id, &out)
        key("key_pages", &out); try keyPages(lead.keyPages, &out)
        key("last_seen", &out); integer(lead.lastSeen, &out)
        key("match_source", &out); string(lead.matchSource.rawValue, &out)
        key("network_type", &out); string(lead.networkType.rawValue, &out)
        key("organisation", &out); string(lead.organisation, &out)
        key("pageviews", &out); integer(lead.pageviews, &out)
        key("region", &out); string(lead.region, &out)
        key("returning_visits", &out); integer(lead.returningVisits, &out)
        key("score", &out); integer(lead.score, &out)
        key("score_explanation", &out)
        out.append(UInt8(ascii: "["))
        for (index, line) in lead.scoreExplanation.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            key("points", &out, first: true); integer(line.points, &out)
            key("signal", &out); string(line.signal, &out)
            key("value", &out); string(line.value, &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        key("site_id", &out); integer(lead.siteID, &out)
        key("sources", &out); counts(lead.sources, &out)
        key("target_account", &out); out.append(contentsOf: (lead.targetAccount ? "true" : "false").utf8)
        key("top_pages", &out); counts(lead.topPages, &out)
        key("updated_at", &out); integer(lead.updatedAt, &out)
        key("visitors", &out); integer(lead.visitors, &out)
        key("visits", &out); integer(lead.visits, &out)
        out.append(UInt8(ascii: "}"))
        return Data(out)
    }

    private static func key(_ name: StaticString, _ out: inout [UInt8], first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: "\":".utf8)
    }

    private static func integer(_ value: some BinaryInteger, _ out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }

    private static func counts(_ counts: [LeadCount], _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, count) in counts.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            key("count", &out, first: true); integer(count.count, &out)
            key("name", &out); string(count.name, &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }

    private static func keyPages(_ hits: [String: Int], _ out: inout [UInt8]) throws {
        guard !hits.isEmpty else {
            out.append(contentsOf: "{}".utf8)
            return
        }
        out.append(contentsOf: try keyPagesEncoder.encode(hits))
    }

    private static let keyPagesEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static func string(_ text: String, _ out: inout [UInt8]) {
        JSONStringLiteral.append(text, to: &out)
    }
}
