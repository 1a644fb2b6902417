/// The few parts of a URL analytics needs, parsed leniently and without allocation-heavy
/// Foundation types: lower-cased host, path and decoded query items.
public struct URLParts: Sendable, Equatable {
    public var host: String
    public var path: String
    public var query: Substring

    /// Parses an absolute URL; anything unparseable yields empty parts.
    public init(_ url: String) {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
        } else {
            host = ""
            path = ""
            query = ""
            return
        }
        let hostEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var hostPort = rest[..<hostEnd]
        if let at = hostPort.lastIndex(of: "@") { hostPort = hostPort[hostPort.index(after: at)...] }
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasPrefix("[") { hostPort = hostPort[..<colon] }
        host = hostPort.lowercased()
        var remainder = rest[hostEnd...]
        if let hash = remainder.firstIndex(of: "#") { remainder = remainder[..<hash] }
        if let questionMark = remainder.firstIndex(of: "?") {
            path = String(remainder[..<questionMark])
            query = remainder[remainder.index(after: questionMark)...]
        } else {
            path = String(remainder)
            query = ""
        }
        if path.isEmpty { path = "/" }
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
