#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A site's traffic shields: requests the owner never wants counted (the office, an uptime
/// monitor, a staging host), dropped at ingest with a `shield_*` reason and counted per site
/// next to bot counts. Changed live with `footfall site config SITE --set shield_ips=…`.
public struct Shields: Sendable, Equatable, Codable {
    /// Addresses or CIDR networks (`203.0.113.7`, `198.51.100.0/24`, `2001:db8::/32`).
    public var ipRanges: [String]
    /// Autonomous system numbers.
    public var asns: [Int]
    /// ISO 3166-1 alpha-2 country codes, uppercase.
    public var countries: [String]
    /// Page paths, as ``PathPattern``s.
    public var paths: [PathPattern]
    /// Page hostnames, lowercase; `*.example.com` matches every subdomain.
    public var hosts: [String]

    public init(
        ipRanges: [String] = [], asns: [Int] = [], countries: [String] = [], paths: [PathPattern] = [], hosts: [String] = []
    ) {
        self.ipRanges = ipRanges
        self.asns = asns
        self.countries = countries
        self.paths = paths
        self.hosts = hosts
    }

    /// Whether `host` (a URL hostname) is shielded.
    public func shields(host: String) -> Bool {
        let host = host.lowercased()
        return hosts.contains { pattern in
            pattern.hasPrefix("*.") ? host.hasSuffix(pattern.dropFirst(1)) : host == pattern
        }
    }

    /// Whether `path` (a URL path) is shielded.
    public func shields(path: String) -> Bool {
        paths.contains { $0.matches(path) }
    }

    /// Whether `text` is an IPv4/IPv6 address, optionally with a `/prefix` that fits it.
    static func isAddressOrNetwork(_ text: String) -> Bool {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        var buffer = [UInt8](repeating: 0, count: 16)
        let bits: Int
        if inet_pton(AF_INET, String(parts[0]), &buffer) == 1 {
            bits = 32
        } else if inet_pton(AF_INET6, String(parts[0]), &buffer) == 1 {
            bits = 128
        } else {
            return false
        }
        guard parts.count == 2 else { return true }
        return Int(parts[1]).map { (0...bits).contains($0) } ?? false
    }

    enum CodingKeys: String, CodingKey {
        case ipRanges, asns, countries, paths, hosts
    }

    // Stored as JSON in the catalog: shields added later decode to empty lists.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        ipRanges = try container.decodeIfPresent([String].self, forKey: .ipRanges) ?? []
        asns = try container.decodeIfPresent([Int].self, forKey: .asns) ?? []
        countries = try container.decodeIfPresent([String].self, forKey: .countries) ?? []
        paths = try container.decodeIfPresent([PathPattern].self, forKey: .paths) ?? []
        hosts = try container.decodeIfPresent([String].self, forKey: .hosts) ?? []
    }
}
