/// What makes a lead alert fire. Every trigger fires only on visitor activity (see
/// ``LeadSnapshot/hasNewActivity(since:)``): a rescore (recency decay, changed settings, an
/// account import) or a rebuild of leads from stored visits never alerts.
public enum AlertTrigger: Sendable, Equatable {
    /// The score rises from `threshold` or less to more than `threshold` (0–99): an upward
    /// crossing, once; it fires again only after the score fell back to `threshold` or less.
    case scoreAbove(Int)
    /// A key page is viewed: the hits of this key-page pattern (as configured on the site,
    /// e.g. `/pricing*`) grow, or of any key page when nil.
    case keyPage(String?)
    /// A new visit from an organisation in the tenant's account list (`target_account`).
    case targetAccountReturns

    /// Stored name of the trigger: `score_above`, `key_page` or `target_account_returns`.
    public var kind: String {
        switch self {
        case .scoreAbove: "score_above"
        case .keyPage: "key_page"
        case .targetAccountReturns: "target_account_returns"
        }
    }

    /// The trigger's parameter as stored: the threshold, the key-page pattern, or nil.
    public var parameter: String? {
        switch self {
        case .scoreAbove(let threshold): String(threshold)
        case .keyPage(let pattern): pattern
        case .targetAccountReturns: nil
        }
    }

    /// Rebuilds a stored trigger; nil for an unknown kind or a malformed parameter.
    public init?(kind: String, parameter: String?) {
        switch kind {
        case "score_above":
            guard let threshold = parameter.flatMap(Int.init), Self.thresholds.contains(threshold) else { return nil }
            self = .scoreAbove(threshold)
        case "key_page":
            if let parameter, PathPattern(parameter) == nil { return nil }
            self = .keyPage(parameter)
        case "target_account_returns":
            self = .targetAccountReturns
        default:
            return nil
        }
    }

    /// Thresholds a score (0–100) can rise above.
    public static let thresholds = 0...99

    /// One line for `footfall alert list`, e.g. `score above 60`, `key page /pricing*`.
    public var summary: String {
        switch self {
        case .scoreAbove(let threshold): "score above \(threshold)"
        case .keyPage(let pattern): pattern.map { "key page \($0)" } ?? "any key page"
        case .targetAccountReturns: "target account returns"
        }
    }
}
