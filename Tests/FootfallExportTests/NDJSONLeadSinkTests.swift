import FootfallCore
import FootfallExport
import Foundation
import Testing

@Suite struct NDJSONLeadSinkTests {
    @Test func writesOneLinePerLeadInSnakeCase() async throws {
        let leads = [
            Lead(id: "ld_00000000000000a1", siteID: 1, organisation: "Acme", domain: "acme.com", networkType: .business,
                 firstSeen: 1_000, lastSeen: 5_000, visits: 2, pageviews: 3,
                 topPages: [LeadCount(name: "/pricing", count: 2), LeadCount(name: "/docs", count: 1)], score: 42),
            Lead(id: "ld_00000000000000b2", siteID: 1, organisation: "Uni", networkType: .education,
                 firstSeen: 2_000, lastSeen: 2_000, visits: 1, pageviews: 1),
        ]
        var output = Data()
        var sink = NDJSONLeadSink { output.append($0) }
        #expect(try await sink.send(leads) == .delivered(2))
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["organisation"] as? String == "Acme")
        #expect(first?["visits"] as? Int == 2)
        #expect(first?["pageviews"] as? Int == 3)
        #expect(first?["first_seen"] as? Int == 1_000)
        #expect(first?["last_seen"] as? Int == 5_000)
        #expect(first?["score"] as? Int == 42)
        let pages = first?["top_pages"] as? [[String: Any]]
        #expect(pages?.map { $0["name"] as? String } == ["/pricing", "/docs"])
    }
}
