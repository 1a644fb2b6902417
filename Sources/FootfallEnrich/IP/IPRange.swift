/// An inclusive range of addresses of one family, written either as a CIDR network
/// (`203.0.113.0/24`, `2001:db8::/32`), a single address, or `first-last`.
public struct IPRange: Sendable, Hashable, CustomStringConvertible {
    public let first: IPAddress
    public let last: IPAddress

    /// A range from its bounds; nil when the families differ or `first > last`.
    public init?(first: IPAddress, last: IPAddress) {
        guard first.isIPv4 == last.isIPv4, first.bytes.lexicographicallyPrecedes(last.bytes) || first == last else {
            return nil
        }
        self.first = first
        self.last = last
    }

    /// The network `address/prefixLength`; host bits of `address` are ignored.
    public init?(network address: IPAddress, prefixLength: Int) {
        let width = address.isIPv4 ? 32 : 128
        guard (0...width).contains(prefixLength) else { return nil }
        first = address.masked(prefixLength: prefixLength)
        last = IPAddress(bytes: zip(first.bytes.indices, first.bytes).map { index, byte in
            let bitsKept = max(0, min(8, prefixLength - index * 8))
            return byte | UInt8(truncatingIfNeeded: 0xff >> bitsKept)
        })
    }

    /// Parses `a.b.c.d/n`, `x::/n`, a bare address, or `first-last`.
    public init?(_ text: some StringProtocol) {
        let text = String(text).trimmingWhitespace()
        if let slash = text.firstIndex(of: "/") {
            guard let address = IPAddress(text[..<slash]),
                  let prefix = Int(text[text.index(after: slash)...]) else { return nil }
            self.init(network: address, prefixLength: prefix)
        } else if let dash = text.firstIndex(of: "-") {
            guard let first = IPAddress(text[..<dash]), let last = IPAddress(text[text.index(after: dash)...]) else {
                return nil
            }
            self.init(first: first, last: last)
        } else {
            guard let address = IPAddress(text) else { return nil }
            self.init(first: address, last: address)
        }
    }

    public var isIPv4: Bool { first.isIPv4 }

    public func contains(_ address: IPAddress) -> Bool {
        guard address.isIPv4 == isIPv4 else { return false }
        return !address.bytes.lexicographicallyPrecedes(first.bytes) && !last.bytes.lexicographicallyPrecedes(address.bytes)
    }

    /// `first/prefix` when the range is exactly one CIDR network, `first-last` otherwise.
    public var description: String {
        let width = isIPv4 ? 32 : 128
        for prefix in 0...width where IPRange(network: first, prefixLength: prefix) == self {
            return prefix == width ? first.description : "\(first)/\(prefix)"
        }
        return "\(first)-\(last)"
    }
}
