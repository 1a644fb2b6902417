import FootfallCore
import FootfallExport
import Foundation
import Testing

@Suite struct NDJSONLeadSinkTests {
    func visit(_ id: Int64, org: String, type: NetworkType, pages: [String], startedAt: Int64) -> Visit {
        Visit(
            id: id, siteID: 1, visitorID: id, startedAt: startedAt, endedAt: startedAt + 1000,
            pages: pages.map { VisitPage(path: $0, viewedAt: startedAt, pageLoadID: "p\(id)") }, engagedMs: 2_000,
            network: NetworkInfo(organisation: org, domain: org.lowercased() + ".com", asn: 1, networkType: type, country: "DE", storedIP: ""))
    }

    @Test func writesOneLinePerLeadAndSkipsISPs() async throws {
        let leads = LeadAggregator.leads(from: [
            visit(1, org: "Acme", type: .business, pages: ["/pricing", "/docs"], startedAt: 1_000),
            visit(2, org: "Acme", type: .business, pages: ["/pricing"], startedAt: 5_000),
            visit(3, org: "Uni", type: .education, pages: ["/"], startedAt: 2_000),
            visit(4, org: "Telekom", type: .isp, pages: ["/"], startedAt: 3_000),
        ])
        var output = Data()
        var sink = NDJSONLeadSink { output.append($0) }
        try await sink.send(leads)
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["organisation"] as? String == "Acme")
        #expect(first?["visits"] as? Int == 2)
        #expect(first?["pageviews"] as? Int == 3)
        #expect(first?["first_seen"] as? Int == 1_000)
        #expect(first?["last_seen"] as? Int == 5_000)
        #expect(first?["top_pages"] as? [String] == ["/pricing", "/docs"])
    }
}
