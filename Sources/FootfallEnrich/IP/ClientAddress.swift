/// Finds the visitor's address behind reverse proxies.
///
/// `X-Forwarded-For` and `Forwarded` (RFC 7239) are honoured only when the TCP peer is a
/// configured trusted proxy: anyone else could write any address into them. The chain is
/// read from the right (the hop nearest to us), skipping further trusted proxies; the
/// first untrusted hop is the visitor. A value that cannot be parsed gives nil, so the
/// beacon is stored and enriched as unknown instead of being attributed to the proxy or to
/// an address the sender made up.
public struct TrustedProxies: Sendable {
    public let ranges: [IPRange]

    /// - Parameter ranges: the proxies' addresses or networks (`--trusted-proxy`).
    public init(_ ranges: [IPRange] = []) {
        self.ranges = ranges
    }

    /// Parses CIDRs/addresses; throws the first invalid one.
    public init(parsing values: [String]) throws(InvalidTrustedProxy) {
        var ranges: [IPRange] = []
        for value in values {
            guard let range = IPRange(value) else { throw InvalidTrustedProxy(value: value) }
            ranges.append(range)
        }
        self.init(ranges)
    }

    public func trusts(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The visitor's address.
    /// - Parameters:
    ///   - peer: the TCP peer address.
    ///   - forwarded: every `Forwarded` header value, in order.
    ///   - forwardedFor: every `X-Forwarded-For` header value, in order.
    /// - Returns: the peer itself when it is not a trusted proxy or sent neither header;
    ///   nil when a header it sent cannot be parsed.
    public func clientAddress(peer: IPAddress?, forwarded: [String], forwardedFor: [String]) -> IPAddress? {
        guard let peer, trusts(peer) else { return peer }
        let hops: [IPAddress?]
        if !forwarded.isEmpty {
            hops = forwarded.flatMap(Self.forwardedHops)
        } else if !forwardedFor.isEmpty {
            hops = forwardedFor.flatMap { $0.split(separator: ",").map { Self.parseHop($0) } }
        } else {
            return peer
        }
        guard !hops.isEmpty else { return nil }
        for hop in hops.reversed() {
            guard let hop else { return nil }
            if !trusts(hop) { return hop }
        }
        return hops.first ?? nil
    }

    /// The `for=` values of a `Forwarded` header, one per element.
    static func forwardedHops(_ value: String) -> [IPAddress?] {
        value.split(separator: ",").map { element in
            let pairs = element.split(separator: ";")
            guard let pair = pairs.first(where: { $0.trimmingPrefixWhitespace().lowercased().hasPrefix("for=") }) else {
                return nil
            }
            let raw = pair.trimmingPrefixWhitespace().dropFirst(4)
            var text = String(raw).trimmingWhitespace()
            if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
            return parseHop(Substring(text))
        }
    }

    /// An address with optional port (`192.0.2.1:8080`, `[2001:db8::1]:443`); `unknown`
    /// and obfuscated identifiers (`_hidden`) are not addresses.
    static func parseHop(_ text: Substring) -> IPAddress? {
        let hop = String(text).trimmingWhitespace()
        if hop.hasPrefix("[") {
            guard let close = hop.firstIndex(of: "]") else { return nil }
            return IPAddress(hop[hop.index(after: hop.startIndex)..<close])
        }
        if let address = IPAddress(hop) { return address }
        // IPv4 with a port.
        if let colon = hop.lastIndex(of: ":"), hop.firstIndex(of: ":") == colon, Int(hop[hop.index(after: colon)...]) != nil {
            let host = hop[..<colon]
            guard let address = IPAddress(host), address.isIPv4 else { return nil }
            return address
        }
        return nil
    }
}

/// A `--trusted-proxy` value that is not an address or CIDR network.
public struct InvalidTrustedProxy: Error, Sendable, CustomStringConvertible {
    public var value: String
    public var description: String { "invalid trusted proxy '\(value)' (use an address or CIDR, e.g. 10.0.0.0/8)" }
}

extension Substring {
    func trimmingPrefixWhitespace() -> Substring {
        drop { $0.isWhitespace }
    }
}
