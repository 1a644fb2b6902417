/// Classifies a page URL and its referrer into a ``TrafficSource``.
///
/// Precedence, as marketers expect it: `utm_*` parameters, then ad click ids (`gclid`,
/// `msclkid`, `li_fat_id`, …), then a `ref` parameter, then the referrer — whose host is
/// internal navigation when it is one of the site's domains (``www.`` and bare forms alike),
/// direct when it is a payment or sign-in hop (``ReferralExclusions``), a canonical source when
/// it is a well-known host (``KnownSources``) or Android app (``AndroidApps``), and otherwise a
/// referral named by its host.
/// Input is capped at ``maxLength`` bytes; unparseable referrers count as direct.
public struct ReferrerClassifier: Sendable {
    /// Longest URL or referrer that is examined.
    public static let maxLength = 2048

    /// Ad-platform click ids appended to landing URLs: their presence means a paid click
    /// (Facebook's `fbclid` is added to every outbound link, so it only says "Facebook").
    static let clickIDs: [(parameter: String, source: String, medium: TrafficSource.Medium)] = [
        ("gclid", "Google", .paid), ("gbraid", "Google", .paid), ("wbraid", "Google", .paid),
        ("dclid", "Google", .paid), ("msclkid", "Bing", .paid), ("li_fat_id", "LinkedIn", .paid),
        ("ttclid", "TikTok", .paid), ("twclid", "X/Twitter", .paid), ("fbclid", "Facebook", .social),
    ]

    public init() {}

    /// Classifies a visit's landing URL and referrer.
    /// - Parameters:
    ///   - url: the page URL (its `utm_*` parameters and click ids take precedence).
    ///   - referrer: the document referrer, possibly empty.
    ///   - siteDomains: the site's own domains, for recognising internal navigation.
    ///   - exclusions: the site's own referral exclusions (hosts), besides ``ReferralExclusions/builtIn``.
    public func classify(url: String, referrer: String, siteDomains: [String], exclusions: [String] = []) -> TrafficSource {
        let query = URLParts(Self.capped(url)).queryItems
        let campaign = query["utm_campaign"] ?? ""
        let term = query["utm_term"] ?? ""
        let content = query["utm_content"] ?? ""
        if let utmSource = query["utm_source"].map(Self.trimmed), !utmSource.isEmpty {
            let source = KnownSources.utmAliases[utmSource.lowercased()] ?? utmSource
            let medium = Self.medium(forUTM: query["utm_medium"] ?? "", source: source)
            return TrafficSource(medium: medium, source: source, campaign: campaign, term: term, content: content)
        }
        for click in Self.clickIDs where !(query[click.parameter] ?? "").isEmpty {
            return TrafficSource(medium: click.medium, source: click.source, campaign: campaign, term: term, content: content)
        }
        let host = Self.host(ofReferrer: referrer)
        if let ref = query["ref"].map(Self.trimmed), !ref.isEmpty, !Self.isInternal(host, siteDomains) {
            let source = KnownSources.utmAliases[ref.lowercased()] ?? ref
            let medium = KnownSources.rule(forSource: source)?.medium ?? .referral
            return TrafficSource(medium: medium, source: source, campaign: campaign, term: term, content: content)
        }
        if host.isEmpty { return .direct }
        if Self.isInternal(host, siteDomains) { return TrafficSource(medium: .internal, source: host, campaign: "") }
        if ReferralExclusions.contains(host, in: ReferralExclusions.builtIn)
            || ReferralExclusions.contains(host, in: exclusions) {
            return .direct
        }
        if referrer.hasPrefix("android-app://") {
            guard let app = AndroidApps.packages[host] else { return TrafficSource(medium: .referral, source: host, campaign: "") }
            return TrafficSource(medium: app.medium, source: app.source, campaign: "")
        }
        let bare = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        if let rule = KnownSources.rule(forHost: bare) {
            return TrafficSource(medium: rule.medium, source: rule.source, campaign: "")
        }
        return TrafficSource(medium: .referral, source: bare, campaign: "")
    }

    /// The referrer's host, or empty when there is none or it is not a web or app URL.
    static func host(ofReferrer referrer: String) -> String {
        let parts = URLParts(capped(referrer))
        let host = parts.host
        guard !host.isEmpty, host.utf8.count <= 253,
              host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x25 }) else { return "" }
        return host.hasSuffix(".") ? String(host.dropLast()) : host
    }

    /// Whether `host` is one of the site's domains, a subdomain of one, or its `www.`/bare twin:
    /// a site configured as `www.shop.example` is also reached as `shop.example`.
    static func isInternal(_ host: String, _ siteDomains: [String]) -> Bool {
        guard !host.isEmpty else { return false }
        let bareHost = host.hasPrefix("www.") ? host.dropFirst(4) : Substring(host)
        return siteDomains.contains { domain in
            let bare = domain.hasPrefix("www.") ? domain.dropFirst(4) : Substring(domain)
            return bareHost == bare || bareHost.hasSuffix("." + bare)
        }
    }

    static func capped(_ text: String) -> String {
        text.utf8.count <= maxLength ? text : String(decoding: text.utf8.prefix(maxLength), as: UTF8.self)
    }

    static func trimmed(_ text: String) -> String {
        String(text.prefix(100)).trimmingSpaces()
    }

    /// The medium a `utm_medium` value names; an empty or unknown one falls back to the source's.
    static func medium(forUTM value: String, source: String) -> TrafficSource.Medium {
        let normalized = value.lowercased().trimmingSpaces()
        switch normalized {
        case "cpc", "ppc", "paid", "paidsearch", "paid_search", "paid-search", "paid_social", "paid-social",
             "paidsocial", "display", "cpm", "cpv", "cpa", "banner", "retargeting", "ads", "ad":
            return .paid
        case "email", "e-mail", "e_mail", "mail", "newsletter":
            return .email
        case "social", "social-network", "social_network", "social-media", "social_media", "sm", "organic_social":
            return .social
        case "organic", "search", "organic_search", "seo":
            return .search
        default:
            if normalized.contains("cpc") || normalized.hasPrefix("paid") { return .paid }
            if normalized.contains("mail") || normalized.contains("newsletter") { return .email }
            return KnownSources.rule(forSource: source)?.medium ?? .referral
        }
    }
}

extension String {
    /// Without leading and trailing spaces (ASCII space and tab).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
