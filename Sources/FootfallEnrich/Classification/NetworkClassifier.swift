import FootfallCore

/// Decides what kind of network an address belongs to, from what the sources said.
///
/// In order: a type the source states (custom ranges, MMDB `user_type`), the curated AS
/// list (``CuratedNetworks``), words in the organisation name, the reverse-DNS host name
/// (`…dsl…`, `…compute.amazonaws.com`), the domain's suffix (`.edu`, `.gov`, `.ac.uk`);
/// a named organisation that matches none of these is a `business`.
public struct NetworkClassifier: Sendable {
    public init() {}

    /// - Parameters:
    ///   - record: the merged answer of the data sources.
    ///   - hostname: the PTR host name, when reverse DNS is on and answered.
    public func classify(_ record: NetworkRecord, hostname: String = "") -> NetworkType {
        if let stated = record.networkType { return stated }
        if let curated = CuratedNetworks.byASN[record.asn] { return curated }
        let name = Self.words(record.organisation)
        for (type, rule) in Self.nameRules where rule.matches(name) { return type }
        if !hostname.isEmpty {
            let host = Self.words(hostname)
            let lowered = hostname.lowercased()
            for (type, rule) in Self.hostRules where rule.matches(host) || rule.suffixes.contains(where: lowered.hasSuffix) {
                return type
            }
            if Self.embedsAddress(host) { return .isp }
        }
        for domain in [record.domain, hostname.lowercased()] where !domain.isEmpty {
            if let type = Self.domainType(domain) { return type }
        }
        if !record.organisation.isEmpty || !record.domain.isEmpty { return .business }
        return .unknown
    }

    /// Keywords of one network type: `stems` match inside a word, `words` only whole.
    struct Rule: Sendable {
        var stems: [String] = []
        var words: Set<String> = []
        var suffixes: [String] = []

        func matches(_ text: (joined: String, words: [String])) -> Bool {
            stems.contains { NetworkClassifier.contains(text.joined, $0) } || text.words.contains(where: words.contains)
        }
    }

    /// Whether `text` holds `stem`, compared as UTF-8 bytes (both lower-cased). Foundation's
    /// `contains` was most of the IP lookup's time under load.
    static func contains(_ text: String, _ stem: String) -> Bool {
        var text = text
        var stem = stem
        return text.withUTF8 { haystack in
            stem.withUTF8 { needle in
                guard let first = needle.first, needle.count <= haystack.count else { return needle.isEmpty }
                var start = 0
                while start <= haystack.count - needle.count {
                    if haystack[start] == first, haystack[start..<start + needle.count].elementsEqual(needle) { return true }
                    start += 1
                }
                return false
            }
        }
    }

    /// Lowercased text and its alphanumeric words.
    static func words(_ text: String) -> (joined: String, words: [String]) {
        let lowered = text.lowercased()
        return (lowered, lowered.split { !$0.isLetter && !$0.isNumber }.map(String.init))
    }

    /// Checked in order: education and government names often contain "network" or
    /// "communications", so they come before the ISP rule.
    static let nameRules: [(NetworkType, Rule)] = [
        (.education, Rule(
            stems: ["universit", "college", "school", "academ", "hochschule", "polytechn", "institute of technology",
                    "research and education", "educat"],
            words: ["edu", "campus", "jisc", "janet", "internet2"])),
        (.government, Rule(
            stems: ["government", "ministry", "ministerio", "ministere", "department of", "county of", "city of",
                    "state of", "municipal", "parliament", "bundes", "national guard", "defense", "defence"],
            words: ["gov", "federal", "senate", "army", "navy", "council", "mil"])),
        (.mobile, Rule(
            stems: ["mobile", "wireless", "cellular", "cellco", "mobility"],
            words: ["lte", "gsm", "5g", "4g"])),
        (.hosting, Rule(
            stems: ["hosting", "datacenter", "data center", "data centre", "cloud", "server", "digitalocean",
                    "hetzner", "linode", "akamai", "fastly", "vultr", "choopa", "contabo", "scaleway", "leaseweb"],
            words: ["host", "vps", "colo", "colocation", "cdn", "amazon", "aws", "google", "microsoft", "ovh", "m247"])),
        (.isp, Rule(
            stems: ["telecom", "telekom", "broadband", "cable", "communications", "internet service", "telephone",
                    "telefonica", "comcast", "verizon", "charter", "vodafone", "virgin media", "telstra", "telmex",
                    "telia", "swisscom", "proximus", "bouygues", "fibre", "fiber"],
            words: ["isp", "dsl", "adsl", "orange", "bt", "kpn", "spectrum", "cox", "at", "internet"])),
    ]

    static let hostRules: [(NetworkType, Rule)] = [
        (.hosting, Rule(
            stems: ["vps", "dedicated", "hosting"],
            words: ["server", "srv", "host", "cloud", "colo"],
            suffixes: ["amazonaws.com", "googleusercontent.com", "linodeusercontent.com", "your-server.de",
                       "vultrusercontent.com", "cloudapp.azure.com", "cloudapp.net"])),
        (.mobile, Rule(
            words: ["mobile", "mobi", "cell", "lte", "4g", "5g", "gprs", "wireless"],
            suffixes: ["tmodns.net", "myvzw.com", "mycingular.net"])),
        (.isp, Rule(
            words: ["dsl", "adsl", "vdsl", "xdsl", "cable", "dyn", "dynamic", "dhcp", "pool", "ppp", "pppoe",
                    "dial", "dialup", "broadband", "ftth", "fiber", "fibre", "cpe", "res", "residential", "customer",
                    "hsd1"])),
    ]

    /// Host names that spell out an IPv4 address (`c-73-162-10-5.hsd1…`) name consumer lines.
    static func embedsAddress(_ host: (joined: String, words: [String])) -> Bool {
        var run = 0
        for word in host.words {
            if let value = Int(word), (0...255).contains(value) {
                run += 1
                if run == 4 { return true }
            } else {
                run = 0
            }
        }
        return false
    }

    static func domainType(_ domain: String) -> NetworkType? {
        let labels = domain.split(separator: ".")
        guard labels.count >= 2 else { return nil }
        let top = labels[labels.count - 1]
        let second = labels[labels.count - 2]
        if top == "edu" || ((second == "edu" || second == "ac") && top.count == 2) { return .education }
        if top == "gov" || top == "mil" || ((second == "gov" || second == "gouv" || second == "gc" || second == "mil") && top.count == 2) {
            return .government
        }
        return nil
    }
}
