/// Classifies a page URL and its referrer into a ``TrafficSource``.
///
/// UTM parameters override the referrer; a referrer on one of the site's own domains
/// is internal navigation.
public struct ReferrerClassifier: Sendable {
    /// Longest URL or referrer that is examined.
    public static let maxLength = 2048

    static let knownHosts: [(suffix: String, source: String, medium: TrafficSource.Medium)] = [
        ("google.", "Google", .search), ("bing.com", "Bing", .search), ("duckduckgo.com", "DuckDuckGo", .search),
        ("search.yahoo.", "Yahoo", .search), ("baidu.com", "Baidu", .search), ("yandex.", "Yandex", .search),
        ("ecosia.org", "Ecosia", .search), ("facebook.com", "Facebook", .social), ("linkedin.com", "LinkedIn", .social),
        ("lnkd.in", "LinkedIn", .social), ("t.co", "X/Twitter", .social), ("twitter.com", "X/Twitter", .social),
        ("x.com", "X/Twitter", .social), ("reddit.com", "Reddit", .social), ("youtube.com", "YouTube", .social),
        ("instagram.com", "Instagram", .social), ("github.com", "GitHub", .referral),
        ("news.ycombinator.com", "Hacker News", .social), ("chatgpt.com", "ChatGPT", .referral),
        ("perplexity.ai", "Perplexity", .referral),
    ]

    public init() {}

    /// Classifies a visit's landing URL and referrer.
    /// - Parameters:
    ///   - url: the page URL (its `utm_*` parameters take precedence).
    ///   - referrer: the document referrer, possibly empty.
    ///   - siteDomains: the site's own domains, for recognising internal navigation.
    public func classify(url: String, referrer: String, siteDomains: [String]) -> TrafficSource {
        let query = URLParts(String(url.utf8.prefix(Self.maxLength)) ?? "").queryItems
        if let utmSource = query["utm_source"], !utmSource.isEmpty {
            let medium = Self.medium(forUTM: query["utm_medium"] ?? "")
            return TrafficSource(medium: medium, source: utmSource, campaign: query["utm_campaign"] ?? "")
        }
        let host = URLParts(String(referrer.utf8.prefix(Self.maxLength)) ?? "").host
        if host.isEmpty { return .direct }
        if siteDomains.contains(where: { host == $0 || host.hasSuffix("." + $0) }) {
            return TrafficSource(medium: .internal, source: host, campaign: "")
        }
        let bare = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        for entry in Self.knownHosts where bare == entry.suffix || bare.hasPrefix(entry.suffix) || bare.hasSuffix("." + entry.suffix) {
            return TrafficSource(medium: entry.medium, source: entry.source, campaign: "")
        }
        return TrafficSource(medium: .referral, source: bare, campaign: "")
    }

    static func medium(forUTM value: String) -> TrafficSource.Medium {
        switch value.lowercased() {
        case "cpc", "ppc", "paid", "paidsearch", "display", "cpm": return .paid
        case "email", "newsletter": return .email
        case "social", "social-network": return .social
        case "organic", "search": return .search
        default: return .referral
        }
    }
}
