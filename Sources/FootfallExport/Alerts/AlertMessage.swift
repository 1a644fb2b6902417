import FootfallCore
import FootfallStore
import Foundation

/// The body an alert delivery POSTs, per channel.
///
/// Webhook (signed, `Content-Type: application/json`):
/// `{"type":"lead.alert","id":"dl_…","rule":"hot","trigger":{"kind":"score_above","parameter":"60"},
/// "reason":"score rose from 35 to 72 (above 60)","site_id":1,"created_at":<ms>,"lead":{…}}`
/// with `lead` in the Lead API's shape (``LeadJSON``). Slack: `{"text": …, "blocks": […]}`
/// (a section with the organisation and the reason, a context line with the rule).
enum AlertMessage {
    static func body(for channel: AlertChannel, delivery: AlertDelivery, trigger: AlertTrigger) throws -> Data {
        let lead = try JSONSerialization.jsonObject(with: Data(delivery.lead.utf8))
        switch channel {
        case .webhook:
            var triggerObject: [String: Any] = ["kind": trigger.kind]
            if let parameter = trigger.parameter { triggerObject["parameter"] = parameter }
            let payload: [String: Any] = [
                "type": "lead.alert", "id": delivery.id, "rule": delivery.rule, "trigger": triggerObject,
                "reason": delivery.reason, "site_id": delivery.siteID, "created_at": delivery.createdAt, "lead": lead,
            ]
            return try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])
        case .slack:
            let fields = lead as? [String: Any] ?? [:]
            let organisation = fields["organisation"] as? String ?? delivery.leadID
            let domain = fields["domain"] as? String ?? ""
            let score = fields["score"] as? Int ?? 0
            let visits = fields["visits"] as? Int ?? 0
            let name = domain.isEmpty ? organisation : "\(organisation) (\(domain))"
            let text = "Footfall: \(name): \(delivery.reason)"
            let detail = "score \(score) · \(visits) \(visits == 1 ? "visit" : "visits") · rule `\(escaped(delivery.rule))` · \(delivery.id)"
            let payload: [String: Any] = [
                "text": text,
                "blocks": [
                    ["type": "section", "text": ["type": "mrkdwn", "text": "*\(escaped(name))*\n\(escaped(delivery.reason))"]],
                    ["type": "context", "elements": [["type": "mrkdwn", "text": detail]]],
                ],
            ]
            return try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes])
        }
    }

    /// Slack's mrkdwn control characters escaped (`&`, `<`, `>`), as Slack's formatting guide asks.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
