/// The few parts of a URL analytics needs, parsed leniently and without allocation-heavy
/// Foundation types: lower-cased host, path and decoded query items.
public struct URLParts: Sendable, Equatable {
    public var host: String
    public var path: String
    public var query: Substring

    /// Parses an absolute URL; anything unparseable yields empty parts. Its delimiters are
    /// ASCII, so they are found on the UTF-8 view (a Character-wise search was most of the
    /// time of referrer classification under load).
    public init(_ url: String) {
        guard let afterScheme = Self.indexAfterSchemeSeparator(in: url) else {
            host = ""
            path = ""
            query = ""
            return
        }
        let utf8 = url.utf8
        let hostEnd = utf8[afterScheme...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? utf8.endIndex
        var hostPort = url[afterScheme..<hostEnd]
        if let at = hostPort.utf8.lastIndex(of: UInt8(ascii: "@")) { hostPort = hostPort[hostPort.utf8.index(after: at)...] }
        if hostPort.hasPrefix("[") {
            // An IPv6 literal keeps its brackets and loses its port (RFC 3986 §3.2.2).
            if let close = hostPort.utf8.firstIndex(of: UInt8(ascii: "]")) { hostPort = hostPort[...close] }
        } else if let colon = hostPort.utf8.lastIndex(of: UInt8(ascii: ":")) {
            hostPort = hostPort[..<colon]
        }
        host = hostPort.lowercased()
        var remainder = url[hostEnd...]
        if let hash = remainder.utf8.firstIndex(of: UInt8(ascii: "#")) { remainder = remainder[..<hash] }
        if let questionMark = remainder.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = String(remainder[..<questionMark])
            query = remainder[remainder.utf8.index(after: questionMark)...]
        } else {
            path = String(remainder)
            query = ""
        }
        if path.isEmpty { path = "/" }
    }

    /// The index just past the first `://` in `url`, nil when there is none: found on the
    /// UTF-8 view (Foundation's `range(of:)` and a Character-wise search were slower).
    static func indexAfterSchemeSeparator(in url: String) -> String.Index? {
        let utf8 = url.utf8
        var index = utf8.startIndex
        var matched = 0  // bytes of "://" just seen
        while index != utf8.endIndex {
            switch (matched, utf8[index]) {
            case (_, UInt8(ascii: ":")): matched = 1
            case (1, UInt8(ascii: "/")), (2, UInt8(ascii: "/")): matched += 1
            default: matched = 0
            }
            index = utf8.index(after: index)
            if matched == 3 { return index }
        }
        return nil
    }

    /// Query parameters by name (first occurrence wins), percent-decoded.
    public var queryItems: [String: String] {
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            if items[name] == nil { items[name] = parts.count > 1 ? Self.decode(parts[1]) : "" }
        }
        return items
    }

    static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
