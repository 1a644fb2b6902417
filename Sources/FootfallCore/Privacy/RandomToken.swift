/// Recognises machine-generated secrets and ids in URLs: password-reset and invite tokens,
/// session ids, API keys, UUIDs.
///
/// A token is a run of at least 16 letters and digits (hyphens and underscores split runs)
/// that mixes them the way random text does — at least four letter/digit alternations,
/// upper case, lower case and digits together, or upper and lower case each at least a
/// third of the letters — or a UUID. Slugs such as
/// `pricing-2024-enterprise` and `iphone15promax` are words, not tokens.
enum RandomToken {
    /// Shortest alphanumeric run treated as a token.
    static let minimumLength = 16

    static func matches(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        if isUUID(bytes) { return true }
        var start = 0
        for index in 0...bytes.count where index == bytes.count || !SensitiveText.isAlphanumeric(bytes[index]) {
            if index - start >= minimumLength, isRandom(bytes[start..<index]) { return true }
            start = index + 1
        }
        return false
    }

    static func isRandom(_ run: ArraySlice<UInt8>) -> Bool {
        var upper = 0, lower = 0, digits = 0
        var alternations = 0
        var previousIsDigit: Bool?
        for byte in run {
            let isDigit = SensitiveText.isDigit(byte)
            if isDigit { digits += 1 } else if byte < UInt8(ascii: "a") { upper += 1 } else { lower += 1 }
            if let previousIsDigit, previousIsDigit != isDigit { alternations += 1 }
            previousIsDigit = isDigit
        }
        // Random letters are about half upper case; CamelCase words have one capital per word.
        let evenlyMixedCase = upper > 0 && lower > 0 && upper * 3 >= upper + lower && lower * 3 >= upper + lower
        return alternations >= 4 || (upper > 0 && lower > 0 && digits > 0) || evenlyMixedCase
    }

    /// `8-4-4-4-12` hexadecimal digits.
    static func isUUID(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                if byte != UInt8(ascii: "-") { return false }
            } else if !(SensitiveText.isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)) {
                return false
            }
        }
        return true
    }
}
