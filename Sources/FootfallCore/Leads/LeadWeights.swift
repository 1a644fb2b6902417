import Foundation

/// Points per lead-scoring signal (see README "Leads"). Engagement points are per unit and
/// capped; fit points are given once. Set with `--set lead_weights='visit=4,visit_cap=20'`
/// (names as in ``names``, integers 0–100; unnamed weights keep their values).
public struct LeadWeights: Sendable, Equatable, Codable {
    public var visit = 3, visitCap = 15
    public var returningVisit = 5, returningVisitCap = 15
    public var pageview = 1, pageviewCap = 10
    /// Per whole minute of engaged time.
    public var engagedMinute = 2, engagedMinuteCap = 10
    public var business = 10, education = 5, government = 5
    public var confidenceHigh = 10, confidenceMedium = 5
    public var tier1 = 15, tier2 = 10, tier3 = 5
    /// Account size: at least 1000, 200 or 50 employees.
    public var employees1000 = 10, employees200 = 5, employees50 = 2

    public init() {}

    /// The settable weights by their `lead_weights` names.
    public static var names: [(String, WritableKeyPath<LeadWeights, Int>)] { [
        ("visit", \.visit), ("visit_cap", \.visitCap),
        ("returning_visit", \.returningVisit), ("returning_visit_cap", \.returningVisitCap),
        ("pageview", \.pageview), ("pageview_cap", \.pageviewCap),
        ("engaged_minute", \.engagedMinute), ("engaged_minute_cap", \.engagedMinuteCap),
        ("business", \.business), ("education", \.education), ("government", \.government),
        ("confidence_high", \.confidenceHigh), ("confidence_medium", \.confidenceMedium),
        ("tier_1", \.tier1), ("tier_2", \.tier2), ("tier_3", \.tier3),
        ("employees_1000", \.employees1000), ("employees_200", \.employees200), ("employees_50", \.employees50),
    ] }

    /// Text form listing every weight, `name=value,…`.
    public var text: String {
        Self.names.map { "\($0.0)=\(self[keyPath: $0.1])" }.joined(separator: ",")
    }

    /// These weights with `name=value` assignments (comma-separated) applied: weights not
    /// named keep their values; `default` alone restores every default. Nil when the text is
    /// empty, an item is empty, a name unknown or given twice, or a value not an integer 0–100.
    public func applying(_ text: String) -> LeadWeights? {
        if text.trimmingCharacters(in: .whitespaces) == "default" { return LeadWeights() }
        var weights = self
        var named: Set<String> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false)
            let name = parts[0].trimmingCharacters(in: .whitespaces)
            guard parts.count == 2, let path = Self.names.first(where: { $0.0 == name })?.1,
                  let value = Int(parts[1].trimmingCharacters(in: .whitespaces)), (0...100).contains(value),
                  named.insert(name).inserted
            else { return nil }
            weights[keyPath: path] = value
        }
        return weights
    }
}
