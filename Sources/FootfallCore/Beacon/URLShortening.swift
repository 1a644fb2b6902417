/// Shortens an over-long page URL or referrer instead of refusing its beacon.
///
/// Browsers send URLs of up to several KB (a Baidu click-through referrer is ~2,300
/// characters); analytics needs the origin, the path and the marketing parameters, so
/// those are kept and the rest of the query and the fragment are dropped.
public enum URLShortening {
    /// Longest URL stored, UTF-8 bytes (real page URLs are far shorter; the tracker cuts at the same length).
    public static let maxLength = 2048

    /// Query parameters kept when a URL is shortened: what attribution reads.
    static func isMarketingParameter(_ name: Substring) -> Bool {
        name.hasPrefix("utm_") || name == "ref" || ReferrerClassifier.clickIDs.contains { $0.parameter == name }
    }

    /// `url` unchanged when it fits in ``maxLength`` bytes; otherwise origin + path + the
    /// marketing parameters, cut at ``maxLength`` bytes on a character boundary if still too long.
    public static func shortened(_ url: String) -> String {
        guard url.utf8.count > maxLength else { return url }
        var base = Substring(url)
        if let hash = base.firstIndex(of: "#") { base = base[..<hash] }
        var result = base
        var kept: [Substring] = []
        if let question = base.firstIndex(of: "?") {
            result = base[..<question]
            kept = base[base.index(after: question)...].split(separator: "&").filter {
                isMarketingParameter($0.prefix { $0 != "=" })
            }
        }
        var text = String(result)
        for parameter in kept where text.utf8.count + parameter.utf8.count + 1 <= maxLength {
            text += (text.utf8.count == result.utf8.count ? "?" : "&") + parameter
        }
        return text.utf8.count <= maxLength ? text : cut(text)
    }

    /// The longest prefix of `text` within ``maxLength`` bytes that ends on a character boundary.
    static func cut(_ text: String) -> String {
        let bytes = Array(text.utf8.prefix(maxLength + 1))
        var end = maxLength
        while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
