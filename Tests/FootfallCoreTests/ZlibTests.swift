import FootfallCore
import Testing

@Suite struct ZlibTests {
    @Test func roundTripsAndShrinksRepetitiveData() throws {
        let original = Array(String(repeating: "/pricing /docs /contact ", count: 500).utf8)
        let compressed = Zlib.compress(original)
        #expect(compressed.count < original.count / 10)
        #expect(try Zlib.decompress(compressed, originalSize: original.count) == original)
    }

    @Test func gzipOutputHasTheGzipMagic() {
        let compressed = Zlib.compress(Array("hello".utf8), format: .gzip)
        #expect(Array(compressed.prefix(2)) == [0x1f, 0x8b])
    }

    @Test func corruptOrWrongSizedInputIsAnError() {
        let compressed = Zlib.compress(Array("hello hello hello".utf8))
        var corrupt = compressed
        corrupt[corrupt.count / 2] ^= 0xff
        #expect(throws: Zlib.Failure.self) { try Zlib.decompress(corrupt, originalSize: 17) }
        #expect(throws: Zlib.Failure.sizeMismatch(expected: 30, actual: 17)) { try Zlib.decompress(compressed, originalSize: 30) }
    }
}
