import Foundation

/// A site's lead-scoring settings, changed live with
/// `footfall site config SITE --set lead_key_pages=… --set lead_half_life_days=… --set lead_weights=…`.
public struct LeadSettings: Sendable, Equatable, Codable {
    /// Pages that signal intent (or its absence, with negative points), scored once per
    /// pattern a lead has hit.
    public var keyPages: [KeyPage]
    /// Days after which a lead's engagement points count half (recency decay), 1–365.
    public var halfLifeDays: Int
    public var weights: LeadWeights

    public static let defaultKeyPages = [
        KeyPage(pattern: PathPattern("/pricing*")!, points: 15),
        KeyPage(pattern: PathPattern("/contact*")!, points: 15),
        KeyPage(pattern: PathPattern("/demo*")!, points: 15),
        KeyPage(pattern: PathPattern("/careers*")!, points: -10),
    ]

    public init(keyPages: [KeyPage] = LeadSettings.defaultKeyPages, halfLifeDays: Int = 14, weights: LeadWeights = .init()) {
        self.keyPages = keyPages
        self.halfLifeDays = halfLifeDays
        self.weights = weights
    }

    enum CodingKeys: String, CodingKey {
        case keyPages, halfLifeDays, weights
    }

    // Stored as JSON in the catalog: settings added later decode to their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = LeadSettings()
        keyPages = try container.decodeIfPresent([KeyPage].self, forKey: .keyPages) ?? defaults.keyPages
        halfLifeDays = try container.decodeIfPresent(Int.self, forKey: .halfLifeDays) ?? defaults.halfLifeDays
        weights = try container.decodeIfPresent(LeadWeights.self, forKey: .weights) ?? defaults.weights
    }

    /// `pattern:points` pairs, comma-separated, e.g. `/pricing*:30,/careers*:-20` (empty text:
    /// none); nil when a pair is empty or malformed, a pattern invalid or given twice, or points
    /// outside -100…100.
    public static func keyPages(from text: String) -> [KeyPage]? {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        var pages: [KeyPage] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = item.trimmingCharacters(in: .whitespaces)
            guard let colon = pair.lastIndex(of: ":"), let pattern = PathPattern(String(pair[..<colon])),
                  let points = Int(pair[pair.index(after: colon)...]), (-100...100).contains(points),
                  !pages.contains(where: { $0.pattern == pattern })
            else { return nil }
            pages.append(KeyPage(pattern: pattern, points: points))
        }
        return pages
    }
}

/// A page pattern that signals intent, and the points a lead gets for having viewed it.
public struct KeyPage: Sendable, Equatable, Codable {
    public var pattern: PathPattern
    /// -100…100; negative for pages that lower intent (careers, support login).
    public var points: Int

    public init(pattern: PathPattern, points: Int) {
        self.pattern = pattern
        self.points = points
    }

    /// Text form `pattern:points`.
    public var text: String { "\(pattern.text):\(points)" }
}
