import FootfallCore
import Foundation
import Testing

@testable import FootfallExport

/// Request bodies equal the vendors' documented shapes in `Fixtures/crm/`.
@Suite struct GoldenRequestTests {
    @Test func hubSpotBatchUpsert() throws {
        let body = try HubSpotLeadSink.body([ExportFixtures.acme])
        #expect(try ExportFixtures.parsed(body) == ExportFixtures.json("hubspot-batch-upsert.json"))
    }

    @Test func salesforceCollectionsUpsert() throws {
        let body = try SalesforceLeadSink.body([ExportFixtures.acme])
        #expect(try ExportFixtures.parsed(body) == ExportFixtures.json("salesforce-collections-upsert.json"))
    }

    @Test func pipedriveOrganization() throws {
        let sink = PipedriveLeadSink(
            apiBase: "http://127.0.0.1:1", token: "t", domainField: "9dc80c50d78a15643bfc4ca79d76156a73a1ca0e",
            client: ExportHTTPClient())
        #expect(try ExportFixtures.parsed(sink.body(ExportFixtures.acme)) == ExportFixtures.json("pipedrive-organization.json"))
    }

    @Test func webhookDeliveryRoundTripsThroughTheLeadAPIShape() throws {
        let body = try WebhookLeadSink.body([ExportFixtures.acme])
        #expect(try ExportFixtures.parsed(body) == ExportFixtures.json("webhook-delivery.json"))
        struct Delivery: Decodable { let leads: [Lead] }
        let decoded = try LeadJSON.decoder().decode(Delivery.self, from: body)
        #expect(decoded.leads == [ExportFixtures.acme])
    }
}
