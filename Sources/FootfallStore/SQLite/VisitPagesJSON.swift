import FootfallCore

/// Writes a visit's page list as the JSON `JSONDecoder` reads back into `[VisitPage]`.
///
/// Every commit re-writes the page list of each visit it touches; with Foundation's
/// `JSONEncoder` that was ~70% of the writer's time under load (perf), so the hot path
/// builds the text directly. Reading stays on `JSONDecoder`.
enum VisitPagesJSON {
    static func encode(_ pages: [VisitPage]) -> String {
        var out = "["
        out.reserveCapacity(pages.count * 96)
        for (index, page) in pages.enumerated() {
            if index > 0 { out += "," }
            out += #"{"path":"#
            appendQuoted(page.path, to: &out)
            out += #","viewedAt":\#(page.viewedAt),"pageLoadID":"#
            appendQuoted(page.pageLoadID, to: &out)
            out += #","engagedMs":\#(page.engagedMs),"maxScrollPercent":\#(page.maxScrollPercent)}"#
        }
        out += "]"
        return out
    }

    /// Appends `text` as a JSON string literal (RFC 8259 escaping).
    static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        // Paths and page-load ids rarely need escaping: then the text goes in whole.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) else {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
