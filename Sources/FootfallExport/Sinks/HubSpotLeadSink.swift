import FootfallCore
import Foundation

/// Upserts leads as HubSpot companies through the CRM v3 batch upsert
/// (`POST /crm/v3/objects/companies/batch/upsert`, at most 100 inputs per call), keyed on
/// the unique-value property `footfall_lead_id` that ``prepare()`` creates through the
/// properties API (HubSpot refuses `domain` as an `idProperty`: it is not unique-valued).
///
/// Each input carries the lead id as its `objectWriteTraceId`, so a 207 Multi-Status
/// answer names the refused inputs; those alone are sent again (twice at most) and then
/// reported. Authentication: a private-app access token as a Bearer token.
public struct HubSpotLeadSink: LeadSink {
    /// HubSpot's documented maximum of inputs per batch call.
    public let maxBatchSize = 100
    /// Extra attempts for the inputs a 207 answer refused.
    static let recordRetries = 2
    let apiBase: String
    let token: String
    let client: ExportHTTPClient

    /// Footfall's company properties: name, HubSpot type, field type.
    static let properties: [(name: String, label: String, type: String, fieldType: String)] = [
        ("footfall_lead_id", "Footfall lead id", "string", "text"),
        ("footfall_score", "Footfall score", "number", "number"),
        ("footfall_last_visit", "Footfall last visit", "datetime", "date"),
        ("footfall_visits", "Footfall visits", "number", "number"),
        ("footfall_key_pages", "Footfall key pages", "string", "textarea"),
        ("footfall_journey", "Footfall journey", "string", "textarea"),
    ]

    /// - Parameters:
    ///   - apiBase: `https://api.hubapi.com` or a test server, without a trailing slash.
    ///   - token: the private app's access token.
    ///   - client: carries the rate limit (190 requests / 10 s by default, see `footfall export --rate`).
    public init(apiBase: String, token: String, client: ExportHTTPClient) {
        self.apiBase = apiBase
        self.token = token
        self.client = client
    }

    var auth: [(String, String)] { [("Authorization", "Bearer \(token)")] }

    /// Creates the Footfall properties that are missing and checks the types of those that exist.
    /// - Throws: ``SinkError/unexpectedResponse(_:)`` when an existing property has another
    ///   type or `footfall_lead_id` is not unique-valued; ``SinkError/rejected(status:body:)``
    ///   when HubSpot refuses the token or a property.
    public mutating func prepare() async throws {
        for property in Self.properties {
            let url = "\(apiBase)/crm/v3/properties/companies/\(property.name)"
            let existing = try await client.send(.GET, url, headers: auth)
            switch existing.status {
            case 200:
                let found = try JSONSerialization.jsonObject(with: existing.body) as? [String: Any]
                guard found?["type"] as? String == property.type else {
                    throw SinkError.unexpectedResponse(
                        "HubSpot property \(property.name) has type \(found?["type"] ?? "?"), Footfall needs \(property.type)")
                }
                if property.name == "footfall_lead_id", found?["hasUniqueValue"] as? Bool != true {
                    throw SinkError.unexpectedResponse("HubSpot property footfall_lead_id is not unique-valued")
                }
            case 404:
                var definition: [String: Any] = [
                    "name": property.name, "label": property.label, "type": property.type,
                    "fieldType": property.fieldType, "groupName": "companyinformation",
                ]
                if property.name == "footfall_lead_id" { definition["hasUniqueValue"] = true }
                let body = try JSONSerialization.data(withJSONObject: definition, options: [.sortedKeys])
                let created = try await client.send(.POST, "\(apiBase)/crm/v3/properties/companies", headers: auth, json: body)
                // 409: created meanwhile by a concurrent setup; validated on the next run.
                guard created.status == 201 || created.status == 200 || created.status == 409 else {
                    throw SinkError.rejected(status: created.status, body: String(decoding: created.body.prefix(300), as: UTF8.self))
                }
            default:
                throw SinkError.rejected(status: existing.status, body: String(decoding: existing.body.prefix(300), as: UTF8.self))
            }
        }
    }

    public mutating func send(_ leads: [Lead]) async throws -> SinkBatchResult {
        try await SinkBatchResult.resendingRefused(leads, calls: 1 + Self.recordRetries, upsert: upsert)
    }

    /// One batch upsert call: counts of new and existing companies, and the refused lead ids
    /// with HubSpot's reason.
    func upsert(_ leads: [Lead]) async throws -> (created: Int, updated: Int, refused: [String: String]) {
        let body = try Self.body(leads)
        let response = try await client.send(
            .POST, "\(apiBase)/crm/v3/objects/companies/batch/upsert", headers: auth, json: body)
        guard response.status == 200 || response.status == 207 else {
            throw SinkError.rejected(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        guard let answer = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            throw SinkError.unexpectedResponse("batch upsert answer is not a JSON object")
        }
        var created = 0, updated = 0
        var confirmed = Set<String>()
        for record in answer["results"] as? [[String: Any]] ?? [] {
            let properties = record["properties"] as? [String: Any]
            guard let id = properties?["footfall_lead_id"] as? String ?? record["objectWriteTraceId"] as? String else { continue }
            confirmed.insert(id)
            if record["new"] as? Bool == true { created += 1 } else { updated += 1 }
        }
        var refused: [String: String] = [:]
        for error in answer["errors"] as? [[String: Any]] ?? [] {
            let context = error["context"] as? [String: Any]
            let reason = "\(error["category"] ?? "ERROR"): \(error["message"] ?? "")"
            for trace in context?["objectWriteTraceId"] as? [String] ?? [] { refused[trace] = reason }
        }
        // An input neither confirmed nor named by an error is not confirmed either.
        for lead in leads where !confirmed.contains(lead.id) && refused[lead.id] == nil {
            refused[lead.id] = "not in HubSpot's results"
        }
        return (created, updated, refused)
    }

    /// The batch upsert request body that would be POSTed, one per line.
    public func preview(_ leads: [Lead]) throws -> Data {
        try Self.body(leads) + Data("\n".utf8)
    }

    /// The batch upsert request body.
    static func body(_ leads: [Lead]) throws -> Data {
        let inputs: [[String: Any]] = leads.map { lead in
            var properties: [String: String] = [
                "footfall_lead_id": lead.id,
                "footfall_score": String(lead.score),
                "footfall_visits": String(lead.visits),
                "footfall_key_pages": CRMFields.keyPages(lead),
                "footfall_journey": CRMFields.journey(lead),
            ]
            if !lead.isTombstone {
                properties["name"] = CRMFields.name(lead)
                properties["footfall_last_visit"] = CRMFields.lastVisit(lead)
                if !lead.domain.isEmpty { properties["domain"] = lead.domain }
            }
            return ["idProperty": "footfall_lead_id", "id": lead.id, "objectWriteTraceId": lead.id, "properties": properties]
        }
        return try JSONSerialization.data(withJSONObject: ["inputs": inputs], options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
