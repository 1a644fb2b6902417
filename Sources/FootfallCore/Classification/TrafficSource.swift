/// Where a visit came from: medium, canonical source name and campaign details.
public struct TrafficSource: Sendable, Hashable, Codable {
    public var medium: Medium
    /// Canonical source name ("Google", "LinkedIn", "ChatGPT") or the referring host.
    public var source: String
    /// `utm_campaign`, empty when none.
    public var campaign: String
    /// `utm_term` (paid keyword), empty when none.
    public var term: String
    /// `utm_content` (ad or link variant), empty when none.
    public var content: String

    public static let direct = TrafficSource(medium: .direct, source: "", campaign: "")

    /// Same medium, source and campaign: `term` and `content` vary within one channel
    /// (and are not kept in stored rows), so they never split a visit.
    public func isSameChannel(as other: TrafficSource) -> Bool {
        medium == other.medium && source == other.source && campaign == other.campaign
    }

    public init(medium: Medium, source: String, campaign: String, term: String = "", content: String = "") {
        self.medium = medium
        self.source = source
        self.campaign = campaign
        self.term = term
        self.content = content
    }

    enum CodingKeys: String, CodingKey {
        case medium, source, campaign, term, content
    }

    /// Decodes events stored before `term` and `content` existed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        medium = try container.decode(Medium.self, forKey: .medium)
        source = try container.decode(String.self, forKey: .source)
        campaign = try container.decode(String.self, forKey: .campaign)
        term = try container.decodeIfPresent(String.self, forKey: .term) ?? ""
        content = try container.decodeIfPresent(String.self, forKey: .content) ?? ""
    }

    /// Traffic media, as marketers group them.
    public enum Medium: String, Codable, Sendable, CaseIterable {
        case search, social, email, paid, referral, `internal`, direct
    }
}
