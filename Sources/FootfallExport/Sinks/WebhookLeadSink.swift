import FootfallCore
import Foundation

/// POSTs batches of leads as JSON to a URL, signed with ``WebhookSignature``:
/// `{"type":"leads.changed","leads":[lead…]}` with each lead in the Lead API's snake_case
/// shape. A batch may arrive twice (a retry after a lost response); receivers dedupe on
/// `(id, change_seq)`.
public struct WebhookLeadSink: LeadSink {
    public let maxBatchSize: Int
    let url: String
    let secret: String
    let client: ExportHTTPClient

    /// - Parameters:
    ///   - url: the receiver, `http(s)://…`.
    ///   - secret: the shared HMAC key.
    ///   - batchSize: leads per POST (default 100).
    public init(url: String, secret: String, client: ExportHTTPClient, batchSize: Int = 100) {
        self.url = url
        self.secret = secret
        self.client = client
        self.maxBatchSize = batchSize
    }

    public mutating func send(_ leads: [Lead]) async throws -> SinkBatchResult {
        let body = try Self.body(leads)
        let signature = WebhookSignature.sign(body: body, secret: secret, timestamp: Int64(Date().timeIntervalSince1970))
        let response = try await client.send(.POST, url, headers: [(WebhookSignature.header, signature)], json: body)
        guard (200...299).contains(response.status) else {
            throw SinkError.rejected(status: response.status, body: String(decoding: response.body.prefix(300), as: UTF8.self))
        }
        return .delivered(leads.count)
    }

    /// The batch body that would be POSTed, one per line.
    public func preview(_ leads: [Lead]) throws -> Data {
        try Self.body(leads) + Data("\n".utf8)
    }

    static func body(_ leads: [Lead]) throws -> Data {
        struct Delivery: Encodable {
            let type = "leads.changed"
            let leads: [LeadJSON.Document]
        }
        return try LeadJSON.encoder().encode(Delivery(leads: leads.map(LeadJSON.Document.init)))
    }
}
