/// A set of lower-case ASCII keywords searched for in one pass over a text, case-insensitively.
///
/// Keywords are bucketed by first byte, so each position of the text is compared only with
/// the few keywords that can start there: linear in the text, no backtracking.
struct KeywordSet: Sendable {
    private let keywords: [[UInt8]]
    private let buckets: [[Int]]

    /// - Parameter keywords: lower-case ASCII keywords.
    init(_ keywords: [String]) {
        self.keywords = keywords.map { Array($0.utf8) }
        var buckets = [[Int]](repeating: [], count: 256)
        for (index, keyword) in self.keywords.enumerated() {
            precondition(!keyword.isEmpty && keyword.allSatisfy { $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5A) })
            buckets[Int(keyword[0])].append(index)
        }
        self.buckets = buckets
    }

    /// Where the first keyword occurring in `text` (compared lower-cased) starts, and which it is.
    func firstMatch(in text: ArraySlice<UInt8>) -> (position: Int, keyword: Int)? {
        var position = text.startIndex
        while position < text.endIndex {
            for candidate in buckets[Int(Self.lower(text[position]))] {
                let keyword = keywords[candidate]
                if position + keyword.count <= text.endIndex && Self.matches(keyword, text, at: position) {
                    return (position, candidate)
                }
            }
            position += 1
        }
        return nil
    }

    private static func matches(_ keyword: [UInt8], _ text: ArraySlice<UInt8>, at position: Int) -> Bool {
        for offset in 1..<keyword.count where lower(text[position + offset]) != keyword[offset] { return false }
        return true
    }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
