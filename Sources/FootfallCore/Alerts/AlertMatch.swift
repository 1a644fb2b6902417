/// Why an alert rule fired for a lead, worded for people (Slack text, the delivery log).
public struct AlertMatch: Sendable, Equatable, Codable {
    /// E.g. `score rose from 35 to 72 (above 60)`, `viewed key page /pricing* (3 views)`.
    public var reason: String

    public init(reason: String) {
        self.reason = reason
    }
}

extension AlertTrigger {
    /// Whether the lead's change from `previous` (nil: a lead never seen before) to `current`
    /// fires this trigger; nil when it does not.
    ///
    /// Pure: the caller keeps the previous states (the alert service stores them with its
    /// change-feed checkpoint).
    public func match(previous: LeadSnapshot?, current lead: Lead) -> AlertMatch? {
        let before = previous ?? .unseen
        let now = LeadSnapshot(lead)
        guard now.hasNewActivity(since: before) else { return nil }
        switch self {
        case .scoreAbove(let threshold):
            guard before.score <= threshold, now.score > threshold else { return nil }
            return AlertMatch(reason: "score rose from \(before.score) to \(now.score) (above \(threshold))")
        case .keyPage(let pattern):
            let grown = now.keyPages.filter { key, hits in
                (pattern == nil || pattern == key) && hits > before.keyPages[key, default: 0]
            }.sorted { $0.key < $1.key }
            guard !grown.isEmpty else { return nil }
            let pages = grown.map { "\($0.key) (\($0.value) \($0.value == 1 ? "view" : "views"))" }
            return AlertMatch(reason: "viewed key page " + pages.joined(separator: ", "))
        case .targetAccountReturns:
            guard let account = lead.account, now.visits > before.visits else { return nil }
            let tier = account.tier.isEmpty ? "" : " (tier \(account.tier))"
            let name = account.name.isEmpty ? lead.organisation : account.name
            return AlertMatch(reason: "target account \(name)\(tier) is back: visit \(now.visits)")
        }
    }
}
