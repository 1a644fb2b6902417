import FootfallCore
@testable import FootfallStore
import Foundation
import Testing

/// Lead lists are served from stored documents: each is exactly the lead in the Lead API's
/// shape, and pages and cursors match the decoded list's.
@Suite struct LeadDocumentTests {
    typealias Fixture = LeadStoreTests

    @Test(arguments: LeadSort.allCases)
    func storedDocumentsAreTheLeadsInTheAPIShape(sort: LeadSort) async throws {
        let directory = try TemporaryDirectory()
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        try await store.registerLeadSites([Fixture.site])
        try await Fixture.append(Fixture.traffic[...], to: store)
        var query = LeadQuery(siteIDs: [1])
        query.sort = sort
        query.limit = 7
        var pages = 0
        while true {
            let decoded = try await store.leads(query)
            let documents = try await store.leadDocuments(query)
            #expect(documents.documents == (try decoded.leads.map { String(decoding: try LeadJSON.encode($0), as: UTF8.self) }))
            #expect(documents.nextCursor == decoded.nextCursor)
            pages += 1
            guard let next = decoded.nextCursor else { break }
            query.after = next
        }
        #expect(pages > 2)
    }

    @Test func leadsWrittenBeforeDocumentsGetThemWhenTheStoreOpens() async throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
            try await Fixture.append(Fixture.traffic[..<600], to: store)
            try await store.pool.write { db in
                try db.execute(sql: "ALTER TABLE leads DROP COLUMN document")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v6 lead documents'")
            }
        }
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        let leads = try await Fixture.allLeads(store)
        #expect(!leads.isEmpty)
        var query = LeadQuery(siteIDs: [1])
        query.limit = 1000
        #expect(try await store.leadDocuments(query).documents
                == (try leads.map { String(decoding: try LeadJSON.encode($0), as: UTF8.self) }))
    }
}
