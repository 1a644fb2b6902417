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
    /// Whether a standalone word `Android` appears outside comments (`ROBLOX Android App 2.448`).
    private(set) var hasAndroidWord = false
    /// Whether a standalone word `Linux` appears outside comments (`Linux UPnP/1.0 Sonos/53.2`).
    private(set) var hasLinuxWord = false
    /// Whether a word or product anywhere names a Linux distribution, as desktop apps do instead
    /// of `Linux` (`Akregator/4.12.3; syndication SUSE`, `Liferea/1.6 (Ubuntu)`).
    private(set) var namesLinuxDistribution = false

    /// Distributions' names as UAs spell them (uap-core's OS list counts them as Linux).
    static let linuxDistributions: Set<String> = [
        "Ubuntu", "Kubuntu", "Xubuntu", "Lubuntu", "Debian", "Fedora", "SUSE", "openSUSE", "CentOS", "Gentoo",
        "Mint", "Slackware", "Mandriva", "Mageia", "Raspbian", "Manjaro",
    ]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        products.reserveCapacity(12)
        comments.reserveCapacity(8)
        scanWords()
        scanBareItems()
        scanComments()
    }

    /// Real UAs with their platform's parentheses stripped (`Mozilla/5.0 Linux; Android 9; SM-A600U
    /// AppleWebKit/537.36 …`, `Linux; U; Android 10; TEST (DIW3930); …`): the `;`-separated items
    /// before the first parenthesis stand in for the comment.
    private mutating func scanBareItems() {
        let end = bytes.firstIndex(of: 0x28) ?? bytes.count
        var start = 0
        for index in 0..<end where bytes[index] == 0x3B {
            addComment(start..<index)
            start = index + 1
        }
        if start > 0 { addComment(start..<end) }
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
        let slash = word.firstIndex(of: 0x2F)
        if !namesLinuxDistribution, let name = Self.distributionCandidate(word[..<(slash ?? word.endIndex)]) {
            namesLinuxDistribution = Self.linuxDistributions.contains(name)
        }
        guard let slash else {
            guard !insideComment else { return }
            if word.elementsEqual("Mobile".utf8) { hasMobileWord = true }
            if word.elementsEqual("Android".utf8) { hasAndroidWord = true }
            if word.elementsEqual("Linux".utf8) { hasLinuxWord = true }
            return
        }
        guard slash > word.startIndex else { return }
        let name = bytes[word.startIndex..<slash]
        if !insideComment && name.elementsEqual("Mobile".utf8) { hasMobileWord = true }
        var versionEnd = slash + 1
        while versionEnd < word.endIndex && Self.isVersionByte(bytes[versionEnd]) { versionEnd += 1 }
        if products.count < Self.maxTokens { products.append(Product(name: name, version: bytes[(slash + 1)..<versionEnd])) }
    }

    /// Items of top-level comments; a nested one stays inside its item
    /// (`(Android OS 5.1 / API-22 (HUAWEITIT-U02/C579B105); HUAWEI TIT-U02)`).
    /// `name` as a string when it could be a distribution's name (4–9 letters, capitalised):
    /// the set lookup is skipped for the other words of a UA.
    private static func distributionCandidate(_ name: ArraySlice<UInt8>) -> String? {
        guard (4...9).contains(name.count), let first = name.first, first >= 0x43, first <= 0x6F else { return nil }
        return String(decoding: name, as: UTF8.self)
    }

    private mutating func scanComments() {
        var depth = 0
        var itemStart = 0
        for index in bytes.indices {
            switch bytes[index] {
            case 0x28:
                depth += 1
                if depth == 1 { itemStart = index + 1 }
            case 0x29 where depth > 0:
                if depth == 1 {
                    addComment(itemStart..<index)
                    itemStart = index + 1
                }
                depth -= 1
            case 0x3B where depth == 1:
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
    func comment(containing needle: StaticString) -> ArraySlice<UInt8>? {
        for item in comments {
            if let range = Self.range(of: needle, in: item) { return item[range.upperBound...] }
        }
        return nil
    }

    /// The bytes after the first occurrence of `needle` anywhere in the User-Agent.
    func after(_ needle: StaticString) -> ArraySlice<UInt8>? {
        Self.range(of: needle, in: bytes[...]).map { bytes[$0.upperBound...] }
    }

    /// Where `needle` first occurs in `haystack`. Needles are literals: no allocation per lookup.
    static func range(of needle: StaticString, in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        range(of: UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount), in: haystack)
    }

    private static func range(of pattern: UnsafeBufferPointer<UInt8>, in haystack: ArraySlice<UInt8>) -> Range<Int>? {
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
