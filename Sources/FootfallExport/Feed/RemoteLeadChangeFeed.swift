import FootfallCore
import FootfallStore
import Foundation

/// A remote Footfall's change feed, `GET /api/v1/leads/changes?cursor=&limit=[&site=]`
/// (`footfall export --from-api URL --key-env VAR`), so an export needs neither the data
/// directory nor a local server. The cursor is the last `change_seq` seen, in decimal.
public struct RemoteLeadChangeFeed: LeadChangeFeed {
    let baseURL: String
    let apiKey: String
    let siteKey: String?
    let client: ExportHTTPClient

    /// - Parameters:
    ///   - baseURL: the Footfall server, e.g. `https://footfall.example.com`.
    ///   - apiKey: a key with the `leads:read` scope; its tenant is the feed's.
    ///   - siteKey: only this site's leads (the remote site's key), else all the key may read.
    public init(baseURL: String, apiKey: String, siteKey: String? = nil, client: ExportHTTPClient = ExportHTTPClient()) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.siteKey = siteKey
        self.client = client
    }

    /// `tenantID` and `siteID` are the remote server's business: the key and ``siteKey`` select them.
    /// - Throws: ``SinkError`` when the server refuses the key or answers malformed JSON.
    public func leadChanges(tenantID: Int64, siteID: Int64?, after: Int64, limit: Int) async throws -> [Lead] {
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "limit", value: String(limit))]
        if after > 0 { query.queryItems?.append(URLQueryItem(name: "cursor", value: String(after))) }
        if let siteKey { query.queryItems?.append(URLQueryItem(name: "site", value: siteKey)) }
        let url = "\(baseURL)/api/v1/leads/changes?\(query.percentEncodedQuery ?? "")"
        let response = try await client.send(.GET, url, headers: [("Authorization", "Bearer \(apiKey)")])
        guard response.status == 200 else {
            throw SinkError.rejected(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        struct Page: Decodable { let changes: [Lead] }
        do {
            return try LeadJSON.decoder().decode(Page.self, from: response.body).changes
        } catch {
            throw SinkError.unexpectedResponse("lead changes: \(error)")
        }
    }
}
