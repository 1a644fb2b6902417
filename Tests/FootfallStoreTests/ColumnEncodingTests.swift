@testable import FootfallStore
import FootfallCore
import Testing

@Suite struct ColumnEncodingTests {
    static let integerCases: [(String, [Int64])] = [
        ("empty", []),
        ("one", [42]),
        ("sorted timestamps", (0..<5_000).map { 1_700_000_000_000 + Int64($0) * 137 }),
        ("constant", Array(repeating: 7, count: 3_000)),
        ("runs", (0..<3_000).map { Int64($0 / 500) }),
        ("small range", (0..<3_000).map { Int64(($0 * 7919) % 101) }),
        ("negative", (0..<1_000).map { Int64(-$0 * 3) }),
        ("extremes", [.min, .max, 0, -1, 1, .min, .max]),
        ("random 64-bit", (0..<1_000).map { Int64(bitPattern: UInt64($0) &* 0x9e37_79b9_7f4a_7c15) }),
    ]

    @Test(arguments: integerCases) func integersRoundTrip(name: String, values: [Int64]) throws {
        let blob = ColumnEncoding.encode(.integers(values))
        #expect(try ColumnEncoding.decode(blob.bytes, rawSize: blob.rawSize, compressed: blob.compressed) == .integers(values), "\(name): \(blob.description)")
    }

    @Test func encodingsAreChosenByShape() {
        #expect(ColumnEncoding.encode(.integers(Array(repeating: 7, count: 3_000))).description.hasPrefix("rle") ||
                ColumnEncoding.encode(.integers(Array(repeating: 7, count: 3_000))).description.hasPrefix("bitpack0"))
        #expect(ColumnEncoding.encode(.integers((0..<5_000).map { 1_700_000_000_000 + Int64($0) * 137 })).description.hasPrefix("delta"))
        #expect(ColumnEncoding.encode(.integers((0..<3_000).map { Int64(($0 * 7919) % 101) })).description.hasPrefix("bitpack7"))
        let sorted = ColumnEncoding.encode(.integers((0..<5_000).map { 1_700_000_000_000 + Int64($0) * 137 }))
        #expect(sorted.bytes.count < 5_000 / 2, "constant deltas deflate to almost nothing")
    }

    static let stringCases: [(String, [String])] = [
        ("empty", []),
        ("repeated", (0..<2_000).map { ["/", "/pricing", "/docs/a", "/blog/ünïcode"][$0 % 4] }),
        ("distinct", (0..<500).map { "id-\($0)" }),
        ("blank", ["", "", ""]),
    ]

    @Test(arguments: stringCases) func stringsRoundTrip(name: String, values: [String]) throws {
        let blob = ColumnEncoding.encode(.strings(values))
        #expect(try ColumnEncoding.decode(blob.bytes, rawSize: blob.rawSize, compressed: blob.compressed) == .strings(values), "\(name)")
        let dictionary = try ColumnEncoding.decodeDictionary(blob.bytes, rawSize: blob.rawSize, compressed: blob.compressed)
        #expect(dictionary.materialized == values)
    }

    @Test func realsWithNullsRoundTrip() throws {
        let values: [Double?] = [52.52, nil, -0.0, nil, 13.405, .infinity]
        let blob = ColumnEncoding.encode(.reals(values))
        #expect(try ColumnEncoding.decode(blob.bytes, rawSize: blob.rawSize, compressed: blob.compressed) == .reals(values))
    }

    @Test(arguments: [0, 1, 5, 17]) func truncatedBlobsThrowInsteadOfCrashing(keep: Int) {
        let blob = ColumnEncoding.encode(.strings((0..<100).map { "v\($0 % 9)" }))
        let raw = blob.compressed ? try! Zlib.decompress(blob.bytes, originalSize: blob.rawSize) : blob.bytes
        #expect(throws: ColumnEncoding.DecodingError.self) {
            _ = try ColumnEncoding.decode(Array(raw.prefix(keep)), rawSize: keep, compressed: false)
        }
    }
}
