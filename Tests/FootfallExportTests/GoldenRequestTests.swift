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

    /// An erased lead clears Footfall's fields and leaves the CRM record's own name, domain and
    /// last visit alone (a tombstone has no organisation left, and its last visit is 0).
    @Test func tombstonesClearOnlyFootfallsFields() throws {
        var erased = ExportFixtures.acme
        (erased.organisation, erased.visits, erased.score, erased.lastSeen, erased.pageviews) = ("", 0, 0, 0, 0)
        (erased.keyPages, erased.topPages, erased.sources) = ([:], [], [])
        let hubSpot = try #require(try ExportFixtures.parsed(HubSpotLeadSink.body([erased])) as? [String: Any])
        let properties = try #require(((hubSpot["inputs"] as? [[String: Any]])?.first)?["properties"] as? [String: String])
        #expect(properties == [
            "footfall_lead_id": erased.id, "footfall_score": "0", "footfall_visits": "0", "footfall_key_pages": "",
            "footfall_journey": "erased by Footfall (privacy request)",
        ])
        let salesforce = try #require(try ExportFixtures.parsed(SalesforceLeadSink.body([erased])) as? [String: Any])
        let record = try #require((salesforce["records"] as? [[String: Any]])?.first)
        #expect(Set(record.keys) == ["attributes", "Footfall_Lead_Id__c", "Footfall_Score__c", "Footfall_Visits__c",
                                     "Footfall_Key_Pages__c", "Footfall_Journey__c"])
    }

    @Test func journeysCountInTheSingularAndNameAnUnnamedSourceByItsMedium() {
        var lead = ExportFixtures.acme
        (lead.visits, lead.pageviews, lead.engagedMs) = (1, 1, 5_000)
        lead.topPages = [LeadCount(name: "/", count: 1)]
        lead.sources = [LeadCount(name: "direct/", count: 1)]
        #expect(CRMFields.journey(lead) == "1 visit, 1 page, 0m 5s engaged; top: /; via direct")
    }

    @Test func webhookDeliveryRoundTripsThroughTheLeadAPIShape() throws {
        let body = try WebhookLeadSink.body([ExportFixtures.acme])
        #expect(try ExportFixtures.parsed(body) == ExportFixtures.json("webhook-delivery.json"))
        struct Delivery: Decodable { let leads: [Lead] }
        let decoded = try LeadJSON.decoder().decode(Delivery.self, from: body)
        #expect(decoded.leads == [ExportFixtures.acme])
    }
}
