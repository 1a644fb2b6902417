import FootfallCore
import Foundation

/// Upserts leads as Salesforce Accounts by the external-id field `Footfall_Lead_Id__c`
/// through sObject Collections upsert
/// (`PATCH /services/data/v62.0/composite/sobjects/Account/Footfall_Lead_Id__c`), at most
/// 200 records per call, `allOrNone: false`: the answer holds one result per record, in
/// order, and the refused records alone are sent again once, then reported.
///
/// The Account's custom fields (`Footfall_Lead_Id__c` as a unique external id, `Footfall_Score__c`,
/// `Footfall_Last_Visit__c`, `Footfall_Visits__c`, `Footfall_Key_Pages__c`, `Footfall_Journey__c`)
/// are created by the org's admin (see the README). Authentication: an OAuth access token
/// for the org's instance URL.
public struct SalesforceLeadSink: LeadSink {
    /// Salesforce's documented maximum of records per sObject Collections request.
    public let maxBatchSize = 200
    static let apiVersion = "v62.0"
    let instanceURL: String
    let token: String
    let client: ExportHTTPClient

    /// - Parameters:
    ///   - instanceURL: the org's instance, e.g. `https://acme.my.salesforce.com`.
    ///   - token: an OAuth access token.
    public init(instanceURL: String, token: String, client: ExportHTTPClient) {
        self.instanceURL = instanceURL
        self.token = token
        self.client = client
    }

    public mutating func send(_ leads: [Lead]) async throws -> SinkBatchResult {
        try await SinkBatchResult.resendingRefused(leads, calls: 2, upsert: upsert)
    }

    func upsert(_ leads: [Lead]) async throws -> (created: Int, updated: Int, refused: [String: String]) {
        let url = "\(instanceURL)/services/data/\(Self.apiVersion)/composite/sobjects/Account/Footfall_Lead_Id__c"
        let response = try await client.send(
            .PATCH, url, headers: [("Authorization", "Bearer \(token)")], json: try Self.body(leads))
        guard response.status == 200 else {
            throw SinkError.rejected(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        guard let results = try? JSONSerialization.jsonObject(with: response.body) as? [[String: Any]],
              results.count == leads.count
        else { throw SinkError.unexpectedResponse("expected one result per record") }
        var created = 0, updated = 0
        var refused: [String: String] = [:]
        for (lead, item) in zip(leads, results) {
            if item["success"] as? Bool == true {
                if item["created"] as? Bool == true { created += 1 } else { updated += 1 }
            } else {
                let errors = item["errors"] as? [[String: Any]] ?? []
                // A tombstone carries no Name, so Salesforce refuses to create its Account: there
                // was none to clear.
                if lead.isTombstone, errors.contains(where: { $0["statusCode"] as? String == "REQUIRED_FIELD_MISSING" }) { continue }
                refused[lead.id] = errors.map { "\($0["statusCode"] ?? "ERROR"): \($0["message"] ?? "")" }
                    .joined(separator: "; ")
            }
        }
        return (created, updated, refused)
    }

    /// The collection upsert request body that would be sent, one per line.
    public func preview(_ leads: [Lead]) throws -> Data {
        try Self.body(leads) + Data("\n".utf8)
    }

    /// The collection upsert request body.
    static func body(_ leads: [Lead]) throws -> Data {
        let records: [[String: Any]] = leads.map { lead in
            var record: [String: Any] = [
                "attributes": ["type": "Account"],
                "Footfall_Lead_Id__c": lead.id,
                "Footfall_Score__c": lead.score,
                "Footfall_Visits__c": lead.visits,
                "Footfall_Key_Pages__c": CRMFields.keyPages(lead),
                "Footfall_Journey__c": CRMFields.journey(lead),
            ]
            if !lead.isTombstone {
                record["Name"] = CRMFields.name(lead)
                record["Footfall_Last_Visit__c"] = CRMFields.lastVisit(lead)
                if !lead.domain.isEmpty { record["Website"] = lead.domain }
            }
            return record
        }
        return try JSONSerialization.data(
            withJSONObject: ["allOrNone": false, "records": records] as [String: Any],
            options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
