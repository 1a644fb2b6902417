import FootfallCore
import FootfallStore
import Foundation

/// The sample alert `footfall alert test` sends: a made-up lead of the rule's site
/// (`Example Corp`, `example.com`) that would fire the rule, under a fresh delivery id
/// `dl_test_…` so receivers never mistake it for a real one.
public enum AlertSample {
    /// A delivery of the sample lead for `rule`, stamped now.
    public static func delivery(for rule: AlertRule, now: Int64 = Timestamp.nowMs()) -> AlertDelivery {
        var lead = Lead(
            id: "ld_0000000000000000", siteID: rule.siteID, organisation: "Example Corp", domain: "example.com",
            networkType: .business, country: "DE", firstSeen: now - 60_000, lastSeen: now, visits: 2, visitors: 1,
            returningVisits: 1, pageviews: 4, engagedMs: 95_000, keyPages: ["/pricing*": 1],
            topPages: [LeadCount(name: "/pricing", count: 2), LeadCount(name: "/", count: 2)], score: 50,
            updatedAt: now)
        switch rule.trigger {
        case .scoreAbove(let threshold): lead.score = threshold + 1
        case .keyPage(let pattern): if let pattern { lead.keyPages = [pattern: 1] }
        case .targetAccountReturns: lead.account = Account(domain: "example.com", name: "Example Corp", tier: "1")
        }
        let match = rule.trigger.match(previous: nil, current: lead)
        let id = "dl_test_" + (0..<8).map { _ in UInt8.random(in: .min ... .max) }.hexEncoded
        return AlertDelivery(
            id: id, tenantID: rule.tenantID, rule: rule.name, siteID: rule.siteID, leadID: lead.id, changeSeq: 0,
            reason: "test: " + (match?.reason ?? rule.trigger.summary),
            lead: String(decoding: (try? LeadJSON.encode(lead)) ?? Data("{}".utf8), as: UTF8.self), createdAt: now)
    }
}

