import FootfallCore
import Foundation
import NIOHTTP1

/// Creates or updates leads as Pipedrive organizations. Pipedrive has no upsert, so each
/// lead is looked up first by the organization custom field that holds its domain
/// (`GET /api/v1/organizations/search?fields=custom_fields&exact_match=true`; by name when
/// the lead has no domain), then updated (`PUT /api/v1/organizations/{id}`) or created
/// (`POST /api/v1/organizations`).
///
/// Footfall's values (lead id, score, last visit, visits, key pages, journey) go into
/// organization custom fields, which Pipedrive addresses by generated 40-hex-digit keys:
/// ``prepare()`` finds them by name in `GET /api/v1/organizationFields`, creates the missing
/// ones (`POST /api/v1/organizationFields`) and checks the types of the others.
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
    /// Footfall field id → the Pipedrive custom field's key, filled by ``prepare()``.
    var fieldKeys: [String: String] = [:]

    /// Footfall's organization custom fields: id, Pipedrive name, Pipedrive field type.
    static let fields: [(id: String, name: String, type: String)] = [
        ("lead_id", "Footfall lead id", "varchar"),
        ("score", "Footfall score", "double"),
        ("last_visit", "Footfall last visit", "date"),
        ("visits", "Footfall visits", "double"),
        ("key_pages", "Footfall key pages", "text"),
        ("journey", "Footfall journey", "text"),
    ]
    /// Fields per `organizationFields` page (Pipedrive's maximum is 500).
    static let fieldPageSize = 500

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

    /// Finds or creates Footfall's organization custom fields and remembers their keys.
    /// - Throws: ``SinkError/unexpectedResponse(_:)`` when a field of that name has another
    ///   type; ``SinkError/rejected(status:body:)`` when Pipedrive refuses the token or a field.
    public mutating func prepare() async throws {
        var existing: [String: (key: String, type: String)] = [:]
        var start = 0
        while true {
            let response = try await client.send(
                .GET, "\(apiBase)/api/v1/organizationFields?start=\(start)&limit=\(Self.fieldPageSize)", headers: auth)
            guard response.status == 200 else {
                throw SinkError.rejected(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
            }
            guard let answer = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
                throw SinkError.unexpectedResponse("organizationFields answer is not a JSON object")
            }
            for field in answer["data"] as? [[String: Any]] ?? [] {
                guard let name = field["name"] as? String, let key = field["key"] as? String else { continue }
                existing[name] = (key, field["field_type"] as? String ?? "")
            }
            let pagination = (answer["additional_data"] as? [String: Any])?["pagination"] as? [String: Any]
            guard pagination?["more_items_in_collection"] as? Bool == true, let next = pagination?["next_start"] as? Int,
                  next > start else { break }
            start = next
        }
        for field in Self.fields {
            if let found = existing[field.name] {
                guard found.type == field.type else {
                    throw SinkError.unexpectedResponse(
                        "Pipedrive organization field '\(field.name)' has type \(found.type), Footfall needs \(field.type)")
                }
                fieldKeys[field.id] = found.key
                continue
            }
            let body = try JSONSerialization.data(
                withJSONObject: ["name": field.name, "field_type": field.type], options: [.sortedKeys])
            // Not repeated blindly: a create whose answer is lost would add a second field of the name.
            let created = try await client.send(.POST, "\(apiBase)/api/v1/organizationFields", headers: auth, json: body, idempotent: false)
            guard created.status == 200 || created.status == 201 else {
                throw SinkError.rejected(status: created.status, body: String(decoding: created.body.prefix(300), as: UTF8.self))
            }
            let answer = try? JSONSerialization.jsonObject(with: created.body) as? [String: Any]
            guard let key = (answer?["data"] as? [String: Any])?["key"] as? String else {
                throw SinkError.unexpectedResponse("created organization field '\(field.name)' has no key")
            }
            fieldKeys[field.id] = key
        }
    }

    public mutating func send(_ leads: [Lead]) async throws -> SinkBatchResult {
        var result = SinkBatchResult()
        for lead in leads {
            var lastError = ""
            var done = false
            for _ in 0..<Self.rounds where !done {
                do {
                    if lead.isTombstone, lead.domain.isEmpty && lead.organisation.isEmpty {
                        // Nothing left to find its organization by: nothing was written for it to clear.
                    } else if let id = try await find(lead) {
                        try await write(.PUT, "\(apiBase)/api/v1/organizations/\(id)", lead, expect: 200)
                        result.updated += 1
                    } else if lead.isTombstone {
                        // An erasure never creates an organization.
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
    /// Pipedrive's `fields=custom_fields` search matches a value in *any* custom field, so each
    /// hit (at most ``searchLimit``) is read back and kept only if its domain field is the domain.
    func find(_ lead: Lead) async throws -> Int? {
        var query = URLComponents()
        let byDomain = !lead.domain.isEmpty
        query.queryItems = [
            URLQueryItem(name: "term", value: byDomain ? lead.domain : CRMFields.name(lead)),
            URLQueryItem(name: "fields", value: byDomain ? "custom_fields" : "name"),
            URLQueryItem(name: "exact_match", value: "true"),
            URLQueryItem(name: "limit", value: String(byDomain ? Self.searchLimit : 1)),
        ]
        let ids = try await get("/api/v1/organizations/search?\(query.percentEncodedQuery ?? "")")
            .flatMap { ($0["data"] as? [String: Any])?["items"] as? [[String: Any]] }?
            .compactMap { ($0["item"] as? [String: Any])?["id"] as? Int } ?? []
        guard byDomain else { return ids.first }
        for id in ids {
            let organization = try await get("/api/v1/organizations/\(id)")?["data"] as? [String: Any]
            if (organization?[domainField] as? String)?.lowercased() == lead.domain { return id }
        }
        return nil
    }

    /// Hits of a domain search read back before giving up (an organization naming the domain
    /// in other custom fields too is rare; more than this many is not expected).
    static let searchLimit = 10

    /// The JSON object a GET answers.
    /// - Throws: ``SinkError/rejected(status:body:)`` for an answer other than 200.
    func get(_ path: String) async throws -> [String: Any]? {
        let response = try await client.send(.GET, "\(apiBase)\(path)", headers: auth)
        guard response.status == 200 else {
            throw SinkError.rejected(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        return try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
    }

    func write(_ method: HTTPMethod, _ url: String, _ lead: Lead, expect: Int) async throws {
        let response = try await client.send(
            method, url, headers: auth, json: try body(lead), idempotent: method == .PUT)
        guard response.status == expect || response.status == 200 else {
            throw SinkError.rejected(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
    }

    /// The organization fields Footfall writes: name, the domain field, and Footfall's custom
    /// fields whose keys ``prepare()`` found (numbers as numbers, the last visit as the UTC
    /// day `YYYY-MM-DD`, Pipedrive's date format).
    func body(_ lead: Lead) throws -> Data {
        var fields: [String: Any] = [:]
        var values: [String: Any] = [
            "lead_id": lead.id, "score": lead.score, "visits": lead.visits,
            "key_pages": CRMFields.keyPages(lead), "journey": CRMFields.journey(lead),
        ]
        if !lead.isTombstone {
            fields["name"] = CRMFields.name(lead)
            if !lead.domain.isEmpty { fields[domainField] = lead.domain }
            values["last_visit"] = String(CRMFields.lastVisit(lead).prefix(10))
        }
        for (id, value) in values {
            if let key = fieldKeys[id] { fields[key] = value }
        }
        return try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The organization bodies that would be written, one per line (custom fields appear
    /// only when their keys are known, which a dry run does not look up).
    public func preview(_ leads: [Lead]) throws -> Data {
        try leads.reduce(into: Data()) { data, lead in
            data.append(try body(lead))
            data.append(UInt8(ascii: "\n"))
        }
    }
}
