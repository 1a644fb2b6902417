import Foundation

/// Scores a lead 0–100 from engagement (visits, returning visits, page views, engaged time,
/// key pages) and fit (network type, match confidence, account tier and size), with
/// engagement decaying by half every ``LeadSettings/halfLifeDays`` since the last visit.
///
/// Every signal's points are integers, so the explanation can be exact: the `recency` line
/// is the decayed engagement (rounded) minus the undecayed, and a `cap` / `floor` line
/// brings a total above 100 or below 0 into range. The points therefore sum to the score.
public struct LeadScorer: Sendable {
    public var settings: LeadSettings

    public init(settings: LeadSettings) {
        self.settings = settings
    }

    /// The score and its explanation for `lead` at `now` (milliseconds since the epoch).
    public func score(_ lead: Lead, now: Int64) -> (score: Int, explanation: [ScoreContribution]) {
        let weights = settings.weights
        var engagement: [ScoreContribution] = []
        func capped(_ signal: String, _ count: Int, _ value: String, per weight: Int, cap: Int) {
            engagement.append(ScoreContribution(signal: signal, value: value, points: min(count * weight, cap)))
        }
        capped("visits", lead.visits, "\(lead.visits)", per: weights.visit, cap: weights.visitCap)
        capped("returning_visits", lead.returningVisits, "\(lead.returningVisits)",
               per: weights.returningVisit, cap: weights.returningVisitCap)
        capped("pageviews", lead.pageviews, "\(lead.pageviews)", per: weights.pageview, cap: weights.pageviewCap)
        let minutes = Int(lead.engagedMs / 60_000)
        capped("engaged_time", minutes, Self.duration(lead.engagedMs), per: weights.engagedMinute, cap: weights.engagedMinuteCap)
        for page in settings.keyPages {
            guard let hits = lead.keyPages[page.pattern.text], hits > 0 else { continue }
            engagement.append(ScoreContribution(
                signal: "key_page:\(page.pattern.text)", value: hits == 1 ? "1 view" : "\(hits) views", points: page.points))
        }
        let engaged = engagement.reduce(0) { $0 + $1.points }
        var lines = engagement
        let age = max(0, now - lead.lastSeen)
        let factor = pow(0.5, Double(age) / (Double(settings.halfLifeDays) * Double(Timestamp.msPerDay)))
        let decay = Int((Double(engaged) * factor).rounded()) - engaged
        lines.append(ScoreContribution(
            signal: "recency",
            value: "last seen \(Self.days(age)) ago, half-life \(settings.halfLifeDays)d", points: decay))
        lines += fit(lead)
        let total = lines.reduce(0) { $0 + $1.points }
        if total > 100 { lines.append(ScoreContribution(signal: "cap", value: "score at most 100", points: 100 - total)) }
        if total < 0 { lines.append(ScoreContribution(signal: "floor", value: "score at least 0", points: -total)) }
        lines.removeAll { $0.points == 0 }
        return (min(100, max(0, total)), lines)
    }

    func fit(_ lead: Lead) -> [ScoreContribution] {
        let weights = settings.weights
        var lines: [ScoreContribution] = []
        let network = switch lead.networkType {
        case .business: weights.business
        case .education: weights.education
        case .government: weights.government
        default: 0
        }
        lines.append(ScoreContribution(signal: "fit:network_type", value: lead.networkType.rawValue, points: network))
        let confidence = switch lead.confidence {
        case .high: weights.confidenceHigh
        case .medium: weights.confidenceMedium
        case .low: 0
        }
        lines.append(ScoreContribution(
            signal: "fit:confidence", value: "\(lead.confidence.rawValue) (\(lead.matchSource.rawValue))", points: confidence))
        guard let account = lead.account else { return lines }
        let tier = switch account.tier {
        case "1": weights.tier1
        case "2": weights.tier2
        case "3": weights.tier3
        default: 0
        }
        lines.append(ScoreContribution(signal: "fit:tier", value: account.tier.isEmpty ? "none" : "tier \(account.tier)", points: tier))
        let size = switch account.employees {
        case 1000...: weights.employees1000
        case 200...: weights.employees200
        case 50...: weights.employees50
        default: 0
        }
        lines.append(ScoreContribution(signal: "fit:employees", value: "\(account.employees)", points: size))
        return lines
    }

    /// `4m 12s` for 252 000 ms.
    static func duration(_ ms: Int64) -> String {
        let seconds = ms / 1000
        return seconds >= 60 ? "\(seconds / 60)m \(seconds % 60)s" : "\(seconds)s"
    }

    /// Whole days with one decimal, `2.5d`.
    static func days(_ ms: Int64) -> String {
        String(format: "%.1fd", Double(ms) / Double(Timestamp.msPerDay))
    }
}
