import FootfallCore
@testable import FootfallStore
import Foundation
import GRDB
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

    /// Leads written before documents (events v6) and lead counts (v7) are migrated when the
    /// store opens: the same leads, served from documents, and later visits fold into them
    /// as a rebuild would.
    @Test func leadsWrittenBeforeDocumentsAndCountsAreMigratedWhenTheStoreOpens() async throws {
        let directory = try TemporaryDirectory()
        let before: [Lead]
        do {
            let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
            try await store.registerLeadSites([Fixture.site])
            try await Fixture.append(Fixture.traffic[..<600], to: store)
            before = try await Fixture.allLeads(store)
            try await store.pool.write(Self.downgradeLeadsToV5)
        }
        let store = try Fixture.open(directory, clock: TestClock(Fixture.scoredAt))
        let leads = try await Fixture.allLeads(store)
        #expect(!leads.isEmpty && leads == before)
        var query = LeadQuery(siteIDs: [1])
        query.limit = 1000
        #expect(try await store.leadDocuments(query).documents
                == (try leads.map { String(decoding: try LeadJSON.encode($0), as: UTF8.self) }))

        try await Fixture.append(Fixture.traffic[600...], to: store)
        #expect(try await Fixture.allLeads(store).map(\.withoutChangeStamp) == (try await LeadLifecycleTests.rebuilt(directory)))
    }

    /// Lays the lead tables out as events v5 left them: each lead as plain JSON in `lead`,
    /// its whole tally (visitors and pages included) in `tally`, no documents, no counts.
    static func downgradeLeadsToV5(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE leads ADD COLUMN lead TEXT NOT NULL DEFAULT ''")
        for row in try Row.fetchAll(db, sql: "SELECT id, tally, document FROM leads") {
            let leadID: String = row["id"]
            var tally = try LeadRow.storedTally(from: row).tally
            for count in try Row.fetchAll(db, sql: "SELECT kind, key, count FROM lead_counts WHERE lead_id = ?", arguments: [leadID]) {
                if count["kind"] as Int == LeadCounts.Kind.visitor.rawValue {
                    tally.visitors[count["key"]] = count["count"]
                } else {
                    tally.pages[count["key"]] = count["count"]
                }
            }
            try db.execute(sql: "UPDATE leads SET lead = ?, tally = ? WHERE id = ?", arguments: [
                try LeadRow.json(try LeadRow.lead(from: row)),
                String(decoding: try JSONEncoder().encode(tally), as: UTF8.self), leadID,
            ])
        }
        try db.execute(sql: """
            DROP TABLE lead_counts;
            ALTER TABLE leads DROP COLUMN document;
            DELETE FROM grdb_migrations WHERE identifier IN ('v6 lead documents', 'v7 lead counts');
            """)
    }
}
