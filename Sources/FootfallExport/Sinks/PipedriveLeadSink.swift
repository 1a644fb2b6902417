import FootfallCore
import Foundation
import NIOHTTP1

/// Creates or updates leads as Pipedrive organizations. Pipedrive has no upsert, so each
/// lead is looked up first by the organization custom field that holds its domain
/// (`GET /api/v1/organizations/search?fields=custom_fields&exact_match=true`; by name when
/// the lead has no domain), then updated (`PUT /api/v1/organizations/{id}`) or created
/// (`POST /api/v1/organizations`).
///
/// A create is never repeated blindly: when its answer is lost, the lead is looked up again,
/// so a create the server applied becomes an update, not a duplicate. Pipedrive's
/// token-based rate limit is honoured through its `X-RateLimit-*` headers and 429s
/// (``ExportHTTPClient``). Authentication: an API token in the `x-api-token` header.
public struct PipedriveLeadSink: LeadSink {
    /// Leads per checkpoint step (Pipedrive writes one organization per request).
    public let maxBatchSize = 50
    /// Look-then-write rounds per lead before it is reported as failed.
    static let rounds = 3
    let apiBase: String
    let token: String
    let domainField: String
    let client: ExportHTTPClient

    /// - Parameters:
    ///   - apiBase: `https://api.pipedrive.com` or a test server, without a trailing slash.
    ///   - token: the user's API token.
    ///   - domainField: the key (40 hex digits) of the organization custom field holding the domain.
    public init(apiBase: String, token: String, domainField: String, client: ExportHTTPClient) {
        self.apiBase = apiBase
        self.token = token
        self.domainField = domainField
        self.client = client
    }

    var auth: [(String, String)] { [("x-api-token", token)] }

    public mutating func send(_ leads: [Lead]) async throws -> SinkBatchResult {
        var result = SinkBatchResult()
        for lead in leads {
            var lastError = ""
            var done = false
            for _ in 0..<Self.rounds where !done {
                do {
                    if let id = try await find(lead) {
                        try await write(.PUT, "\(apiBase)/api/v1/organizations/\(id)", lead, expect: 200)
                        result.updated += 1
                    } else {
                        try await write(.POST, "\(apiBase)/api/v1/organizations", lead, expect: 201)
                        result.created += 1
                    }
                    done = true
                } catch let error as SinkError {
                    lastError = error.description
                    if case .rejected(let status, _) = error, (400...499).contains(status), status != 429 { break }
                }
            }
            if !done { result.failures.append(RecordFailure(leadID: lead.id, changeSeq: lead.changeSeq, reason: lastError)) }
        }
        return result
    }

    /// The id of the organization whose domain field (or name, without a domain) matches exactly.
    func find(_ lead: Lead) async throws -> Int? {
        var query = URLComponents()
        let byDomain = !lead.domain.isEmpty
        query.queryItems = [
            URLQueryItem(name: "term", value: byDomain ? lead.domain : CRMFields.name(lead)),
            URLQueryItem(name: "fields", value: byDomain ? "custom_fields" : "name"),
            URLQueryItem(name: "exact_match", value: "true"),
            URLQueryItem(name: "limit", value: "1"),
        ]
        let response = try await client.send(.GET, "\(apiBase)/api/v1/organizations/search?\(query.percentEncodedQuery ?? "")", headers: auth)
        guard response.status == 200 else {
            throw SinkError.rejected(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        let answer = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        let items = (answer?["data"] as? [String: Any])?["items"] as? [[String: Any]] ?? []
        return (items.first?["item"] as? [String: Any])?["id"] as? Int
    }

    func write(_ method: HTTPMethod, _ url: String, _ lead: Lead, expect: Int) async throws {
        let response = try await client.send(
            method, url, headers: auth, json: try body(lead), idempotent: method == .PUT)
        guard response.status == expect || response.status == 200 else {
            throw SinkError.rejected(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
    }

    /// The organization fields Footfall writes.
    func body(_ lead: Lead) throws -> Data {
        var fields: [String: Any] = ["name": CRMFields.name(lead)]
        if !lead.domain.isEmpty { fields[domainField] = lead.domain }
        return try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
