import FootfallCore

/// Writes a visit's page list as the JSON `JSONDecoder` reads back into `[VisitPage]`, as
/// UTF-8 bytes.
///
/// Every commit re-writes the page list of each visit it touches; with Foundation's
/// `JSONEncoder` that was ~70% of the writer's time under load (perf), so the hot path
/// builds the bytes directly. Reading stays on `JSONDecoder`.
enum VisitPagesJSON {
    static func encode(_ pages: [VisitPage]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(pages.reduce(2) { $0 + 96 + $1.path.utf8.count + $1.pageLoadID.utf8.count })
        for (index, page) in pages.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"path":"#.utf8)
            JSONStringLiteral.append(page.path, to: &out)
            out.append(contentsOf: #","viewedAt":"#.utf8)
            out.append(contentsOf: String(page.viewedAt).utf8)
            out.append(contentsOf: #","pageLoadID":"#.utf8)
            JSONStringLiteral.append(page.pageLoadID, to: &out)
            out.append(contentsOf: #","engagedMs":"#.utf8)
            out.append(contentsOf: String(page.engagedMs).utf8)
            out.append(contentsOf: #","maxScrollPercent":"#.utf8)
            out.append(contentsOf: String(page.maxScrollPercent).utf8)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}
