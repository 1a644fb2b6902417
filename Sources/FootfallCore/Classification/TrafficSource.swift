/// Where a visit came from: medium, canonical source name and campaign.
public struct TrafficSource: Sendable, Equatable, Codable {
    public var medium: Medium
    /// Canonical source name ("Google", "LinkedIn") or the referring host.
    public var source: String
    public var campaign: String

    public static let direct = TrafficSource(medium: .direct, source: "", campaign: "")

    public init(medium: Medium, source: String, campaign: String) {
        self.medium = medium
        self.source = source
        self.campaign = campaign
    }

    /// Traffic media, as marketers group them.
    public enum Medium: String, Codable, Sendable, CaseIterable {
        case search, social, email, paid, referral, `internal`, direct
    }
}
