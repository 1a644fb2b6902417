/// One pass over a User-Agent's bytes, splitting it into what classification looks at:
/// `name/version` product tokens (anywhere, including inside comments and `[FBAN/…;FBAV/…]`
/// in-app brackets) and the `;`-separated items of parenthesised comments.
///
/// Works on raw bytes and never backtracks, so its cost is linear in the (capped) length.
struct UserAgentTokens {
    /// A `name/version` token; `version` is the leading run of digits, dots and underscores.
    struct Product {
        var name: ArraySlice<UInt8>
        var version: ArraySlice<UInt8>
    }

    /// Real UAs have < 20 products and comment items; more is padding meant to slow us down.
    static let maxTokens = 32

    let bytes: [UInt8]
    private(set) var products: [Product] = []
    /// Trimmed items of parenthesised comments, e.g. `Windows NT 10.0`, `Android 14`, `iPad`.
    private(set) var comments: [ArraySlice<UInt8>] = []
    /// Whether a standalone word `Mobile` (or `Mobile/…`) appears outside comments.
    private(set) var hasMobileWord = false

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        products.reserveCapacity(12)
        comments.reserveCapacity(8)
        scanWords()
        scanComments()
        if comments.isEmpty && !bytes.contains(0x28) { scanBareItems() }
    }

    /// Real UAs with their parentheses stripped (`Mozilla/5.0 Linux; Android 9; SM-A600U …`):
    /// the `;`-separated items stand in for the comment.
    private mutating func scanBareItems() {
        var start = 0
        for index in bytes.indices where bytes[index] == 0x3B {
            addComment(start..<index)
            start = index + 1
        }
        if start > 0 { addComment(start..<bytes.count) }
    }

    private static func isWordSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x3B || byte == 0x28 || byte == 0x29 || byte == 0x2C || byte == 0x5B || byte == 0x5D
    }

    private static func isVersionByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || byte == 0x2E || byte == 0x5F
    }

    private mutating func scanWords() {
        var start = 0
        var depth = 0
        for index in 0...bytes.count {
            let byte = index < bytes.count ? bytes[index] : 0x20
            guard Self.isWordSeparator(byte) else { continue }
            if index > start { word(start..<index, insideComment: depth > 0) }
            if byte == 0x28 { depth += 1 } else if byte == 0x29, depth > 0 { depth -= 1 }
            start = index + 1
        }
    }

    private mutating func word(_ range: Range<Int>, insideComment: Bool) {
        let word = bytes[range]
        guard let slash = word.firstIndex(of: 0x2F) else {
            if !insideComment && word.elementsEqual("Mobile".utf8) { hasMobileWord = true }
            return
        }
        guard slash > word.startIndex else { return }
        let name = bytes[word.startIndex..<slash]
        if !insideComment && name.elementsEqual("Mobile".utf8) { hasMobileWord = true }
        var versionEnd = slash + 1
        while versionEnd < word.endIndex && Self.isVersionByte(bytes[versionEnd]) { versionEnd += 1 }
        if products.count < Self.maxTokens { products.append(Product(name: name, version: bytes[(slash + 1)..<versionEnd])) }
    }

    private mutating func scanComments() {
        var depth = 0
        var itemStart = 0
        for index in bytes.indices {
            switch bytes[index] {
            case 0x28:
                depth += 1
                itemStart = index + 1
            case 0x29 where depth > 0:
                addComment(itemStart..<index)
                depth -= 1
                itemStart = index + 1
            case 0x3B where depth > 0:
                addComment(itemStart..<index)
                itemStart = index + 1
            default:
                break
            }
        }
    }

    private mutating func addComment(_ range: Range<Int>) {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && bytes[lower] == 0x20 { lower += 1 }
        while upper > lower && bytes[upper - 1] == 0x20 { upper -= 1 }
        if lower < upper && comments.count < Self.maxTokens { comments.append(bytes[lower..<upper]) }
    }

    /// The first product called `name`.
    func product(_ name: String) -> Product? {
        products.first { $0.name.elementsEqual(name.utf8) }
    }

    /// The first comment item starting with `prefix`.
    func comment(prefix: String) -> ArraySlice<UInt8>? {
        comments.first { $0.starts(with: prefix.utf8) }
    }

    /// The first comment item containing `needle`, and the bytes that follow it there.
    func comment(containing needle: String) -> ArraySlice<UInt8>? {
        let pattern = Array(needle.utf8)
        for item in comments {
            if let range = Self.range(of: pattern, in: item) { return item[range.upperBound...] }
        }
        return nil
    }

    /// The bytes after the first occurrence of `needle` anywhere in the User-Agent.
    func after(_ needle: String) -> ArraySlice<UInt8>? {
        Self.range(of: Array(needle.utf8), in: bytes[...]).map { bytes[$0.upperBound...] }
    }

    static func range(of pattern: [UInt8], in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        guard let first = pattern.first, haystack.count >= pattern.count else { return nil }
        var index = haystack.startIndex
        let last = haystack.endIndex - pattern.count
        while index <= last {
            if haystack[index] == first && haystack[index..<(index + pattern.count)].elementsEqual(pattern) {
                return index..<(index + pattern.count)
            }
            index += 1
        }
        return nil
    }

    /// The major version at the start of `text`: its leading digits.
    static func major(_ text: ArraySlice<UInt8>) -> String {
        var end = text.startIndex
        while end < text.endIndex && end - text.startIndex < 8 && text[end] >= 0x30 && text[end] <= 0x39 { end += 1 }
        return String(decoding: text[text.startIndex..<end], as: UTF8.self)
    }
}
