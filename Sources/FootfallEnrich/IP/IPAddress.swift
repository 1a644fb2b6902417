#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as raw network-order bytes.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Parses dotted IPv4 or textual IPv6 (IPv4-mapped IPv6 becomes IPv4); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let trimmed = String(text).trimmingWhitespace()
        guard !trimmed.isEmpty, trimmed.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, trimmed, &v6) == 1 else { return nil }
        let raw = withUnsafeBytes(of: &v6) { Array($0) }
        let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]
        bytes = Array(raw.prefix(12)) == mappedPrefix ? Array(raw.suffix(4)) : raw
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// The network the address belongs to with only `prefixLength` leading bits kept.
    public func masked(prefixLength: Int) -> IPAddress {
        var out = bytes
        for index in out.indices {
            let bitsKept = max(0, min(8, prefixLength - index * 8))
            out[index] &= bitsKept == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - bitsKept))
        }
        return IPAddress(bytes: out)
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        return bytes.withUnsafeBytes { raw in
            guard inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil else { return "" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}

extension IPAddress {
    /// Builds an IPv4 address from its 32-bit value (network order = most significant first).
    public init(ipv4 value: UInt32) {
        self.init(bytes: [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16),
                          UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)])
    }

    /// Builds an IPv6 address from its 128-bit value.
    public init(ipv6 value: UInt128) {
        self.init(bytes: (0..<16).map { UInt8(truncatingIfNeeded: value >> (120 - 8 * $0)) })
    }

    /// The address as a 32-bit integer when it is IPv4; the key of IPv4 range tables.
    public var ipv4Value: UInt32? {
        guard bytes.count == 4 else { return nil }
        return UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
    }

    /// The address as a 128-bit integer when it is IPv6; the key of IPv6 range tables.
    public var ipv6Value: UInt128? {
        guard bytes.count == 16 else { return nil }
        return bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }
}
