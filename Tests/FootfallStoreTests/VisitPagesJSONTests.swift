import FootfallCore
@testable import FootfallStore
import Foundation
import Testing

@Suite struct VisitPagesJSONTests {
    @Test(arguments: [
        [],
        [VisitPage(path: "/", viewedAt: 1_700_000_000_000, pageLoadID: "a", engagedMs: 1_500, maxScrollPercent: 80)],
        [
            VisitPage(path: #"/q"uote\back\slash"#, viewedAt: -1, pageLoadID: "tab\tnew\nline\r", engagedMs: 0),
            VisitPage(path: "/ünïcødé/日本/😀", viewedAt: .max, pageLoadID: "\u{01}\u{08}\u{0C}\u{1f}", engagedMs: .max, maxScrollPercent: 100),
        ],
    ])
    func roundTripsThroughJSONDecoder(pages: [VisitPage]) throws {
        let bytes = Data(VisitPagesJSON.encode(pages))
        #expect(try JSONDecoder().decode([VisitPage].self, from: bytes) == pages)
        #expect(try JSONSerialization.jsonObject(with: bytes) is [Any])
    }
}
