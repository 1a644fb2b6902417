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
        var sink = PipedriveLeadSink(
            apiBase: "http://127.0.0.1:1", token: "t", domainField: "9dc80c50d78a15643bfc4ca79d76156a73a1ca0e",
            client: ExportHTTPClient())
        // The keys prepare() would have found or created, in PipedriveLeadSink.fields order.
        for (index, field) in PipedriveLeadSink.fields.enumerated() {
            sink.fieldKeys[field.id] = "1f0e2d3c4b5a69788796a5b4c3d2e1f00112230\(index + 1)"
        }
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
