import Foundation

/// The Public Suffix List (Debian's `publicsuffix` package): turns a host name into its
/// registrable domain (`mail.eng.acme.co.uk` → `acme.co.uk`), the unit organisations are
/// known by.
public struct PublicSuffixList: Sendable {
    /// Where Debian installs the list.
    public static let systemPath = "/usr/share/publicsuffix/public_suffix_list.dat"

    let rules: Set<String>
    let wildcards: Set<String>
    let exceptions: Set<String>

    /// Parses the list's text format (one rule a line, `//` comments, `*.` wildcards, `!` exceptions).
    public init(contents: String) {
        var rules = Set<String>()
        var wildcards = Set<String>()
        var exceptions = Set<String>()
        for line in contents.split(whereSeparator: \.isNewline) {
            guard let rule = line.split(whereSeparator: \.isWhitespace).first, !rule.hasPrefix("//") else { continue }
            let lowered = rule.lowercased()
            if lowered.hasPrefix("!") {
                exceptions.insert(String(lowered.dropFirst()))
            } else if lowered.hasPrefix("*.") {
                wildcards.insert(String(lowered.dropFirst(2)))
            } else {
                rules.insert(lowered)
            }
        }
        self.rules = rules
        self.wildcards = wildcards
        self.exceptions = exceptions
    }

    /// Loads the list installed at `path`.
    public static func load(path: String = systemPath) throws -> PublicSuffixList {
        PublicSuffixList(contents: try String(contentsOfFile: path, encoding: .utf8))
    }

    /// The public suffix plus one label, or nil when `host` is itself a public suffix, has
    /// a single label, or is an address.
    public func registrableDomain(of host: String) -> String? {
        var name = host.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard labels.count >= 2, !labels.contains(where: \.isEmpty), IPAddress(name) == nil else { return nil }
        // The longest matching rule decides; an exception rule beats a wildcard.
        var suffixStart = labels.count - 1
        for start in 0..<labels.count {
            let candidate = labels[start...].joined(separator: ".")
            if exceptions.contains(candidate) {
                suffixStart = start + 1
                break
            }
            if rules.contains(candidate) {
                suffixStart = start
                break
            }
            if start + 1 < labels.count, wildcards.contains(labels[(start + 1)...].joined(separator: ".")) {
                suffixStart = start
                break
            }
        }
        guard suffixStart > 0 else { return nil }
        return labels[(suffixStart - 1)...].joined(separator: ".")
    }
}
