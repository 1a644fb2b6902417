import FootfallCore
import FootfallStore
import Foundation
import Testing

@testable import FootfallExport

@Suite struct LeadExporterTests {
    func run(_ feed: InMemoryLeadChangeFeed, _ sink: RecordingSink, _ store: TemporaryCatalog, sinkName: String = "main",
             _ options: ExportOptions = ExportOptions(pageSize: 7)) async throws -> ExportSummary {
        var exporter = LeadExporter(feed: feed, catalog: store.catalog, tenantID: 1, sinkName: sinkName, sink: sink, options: options)
        return try await exporter.run()
    }

    @Test func sendsEveryChangeOnceInTheSinksBatchSizeAndResumesAtTheCheckpoint() async throws {
        let store = try TemporaryCatalog()
        _ = try await store.catalog.tenant(named: "default")
        let feed = InMemoryLeadChangeFeed(InMemoryLeadChangeFeed.leads(1...25))
        let sink = RecordingSink(maxBatchSize: 10)
        let first = try await run(feed, sink, store)
        #expect(sink.batches.map(\.count) == [10, 10, 5])
        #expect(first.sent == 25 && first.created == 25 && first.checkpoint == 25)
        // Memory stays bounded: the feed is read in pages, never whole.
        #expect(feed.requestedLimits.allSatisfy { $0 == 7 } && feed.requestedLimits.count == 4)

        let again = try await run(feed, sink, store)
        #expect(again.sent == 0 && sink.batches.count == 3)

        feed.leads.append(contentsOf: InMemoryLeadChangeFeed.leads(26...28))
        let more = try await run(feed, sink, store)
        #expect(more.sent == 3 && more.checkpoint == 28)
        #expect(Set(sink.sentIDs).count == 28 && sink.sentIDs.count == 28)
    }

    @Test func aRefusedLeadHoldsTheCheckpointJustBeforeItAndStopsTheRun() async throws {
        let store = try TemporaryCatalog()
        _ = try await store.catalog.tenant(named: "default")
        let leads = InMemoryLeadChangeFeed.leads(1...30)
        let feed = InMemoryLeadChangeFeed(leads)
        let sink = RecordingSink(maxBatchSize: 10)
        sink.refuse = [leads[13].id]  // change 14, in the second batch
        let summary = try await run(feed, sink, store)
        #expect(summary.failed == 1 && summary.failures.first?.changeSeq == 14)
        #expect(summary.checkpoint == 13 && sink.batches.count == 2)
        #expect(try await store.catalog.exportCheckpoint(tenantID: 1, sink: "main").changeSeq == 13)

        sink.refuse = []
        let rerun = try await run(feed, sink, store)
        #expect(rerun.failed == 0 && rerun.checkpoint == 30)
        #expect(sink.batches[2].first?.changeSeq == 14)
    }

    @Test func aChangeRefusedInThreeRunsIsParkedAndLaterChangesFlow() async throws {
        let store = try TemporaryCatalog()
        _ = try await store.catalog.tenant(named: "default")
        let leads = InMemoryLeadChangeFeed.leads(1...30)
        let feed = InMemoryLeadChangeFeed(leads)
        let sink = RecordingSink(maxBatchSize: 10)
        sink.refuse = [leads[13].id]  // change 14, refused whatever happens
        for _ in 1..<ExportRefusal.parkAfterRuns {
            let held = try await run(feed, sink, store)
            #expect(held.failed == 1 && held.parked == 0 && held.checkpoint == 13)
        }
        let parking = try await run(feed, sink, store)
        #expect(parking.failed == 1 && parking.parked == 1 && parking.checkpoint == 30)
        #expect(parking.line.contains("failed 1, parked 1,") && parking.failures.first?.reason.contains("parked after 3") == true)
        #expect(sink.batches.suffix(2).flatMap { $0.map(\.changeSeq) } == Array(14...30))
        #expect(try await store.catalog.parkedExportRefusals(tenantID: 1, sink: "main").map(\.changeSeq) == [14])

        let quiet = try await run(feed, sink, store)
        #expect(quiet.sent == 0 && quiet.failed == 0 && quiet.checkpoint == 30)
    }

    @Test func aBatchTheTargetNeverConfirmedIsSentAgainOnTheNextRun() async throws {
        let store = try TemporaryCatalog()
        _ = try await store.catalog.tenant(named: "default")
        let feed = InMemoryLeadChangeFeed(InMemoryLeadChangeFeed.leads(1...20))
        let sink = RecordingSink(maxBatchSize: 10)
        sink.throwOnBatch = 1
        let summary = try await run(feed, sink, store)
        #expect(summary.error?.contains("connection reset") == true && summary.checkpoint == 10)
        let rerun = try await run(feed, sink, store)
        #expect(rerun.sent == 10 && rerun.checkpoint == 20 && sink.batches[1].first?.changeSeq == 11)
    }

    @Test func minScoreSkipsLeadsAndTheCheckpointPassesOverThem() async throws {
        let store = try TemporaryCatalog()
        _ = try await store.catalog.tenant(named: "default")
        let feed = InMemoryLeadChangeFeed(InMemoryLeadChangeFeed.leads(1...40))
        let sink = RecordingSink(maxBatchSize: 100)
        let summary = try await run(feed, sink, store, ExportOptions(minScore: 30, pageSize: 7))
        #expect(summary.sent == 11 && summary.skipped == 29 && summary.checkpoint == 40)
        #expect(sink.sentIDs.count == 11 && sink.batches.allSatisfy { $0.allSatisfy { $0.score >= 30 } })
    }

    @Test func tombstonesAreSentWhateverTheMinimumScore() async throws {
        let store = try TemporaryCatalog()
        _ = try await store.catalog.tenant(named: "default")
        var leads = InMemoryLeadChangeFeed.leads(1...6)
        // Changes 3 and 5 erase their leads: no visits left, score 0.
        for index in [2, 4] { (leads[index].visits, leads[index].score) = (0, 0) }
        let sink = RecordingSink(maxBatchSize: 100)
        let summary = try await run(InMemoryLeadChangeFeed(leads), sink, store, ExportOptions(minScore: 4))
        #expect(sink.batches.flatMap { $0.map(\.changeSeq) } == [3, 4, 5, 6])
        #expect(summary.sent == 4 && summary.skipped == 2 && summary.checkpoint == 6)
    }

    @Test func dryRunSendsNothingAndKeepsTheCheckpoint() async throws {
        let store = try TemporaryCatalog()
        _ = try await store.catalog.tenant(named: "default")
        let feed = InMemoryLeadChangeFeed(InMemoryLeadChangeFeed.leads(1...12))
        let sink = RecordingSink(maxBatchSize: 5)
        var previewed: [Int64] = []
        var exporter = LeadExporter(feed: feed, catalog: store.catalog, tenantID: 1, sinkName: "main", sink: sink,
                                    options: ExportOptions(dryRun: true))
        let summary = try await exporter.run(preview: { data in
            for line in data.split(separator: UInt8(ascii: "\n")) {
                let object = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
                previewed.append((object["change_seq"] as! NSNumber).int64Value)
            }
        })
        #expect(previewed == Array(1...12) && sink.batches.isEmpty && summary.sent == 12)
        #expect(try await store.catalog.exportCheckpoint(tenantID: 1, sink: "main").changeSeq == 0)
    }

    @Test func limitStopsAfterNLeadsAndTheNextRunContinues() async throws {
        let store = try TemporaryCatalog()
        _ = try await store.catalog.tenant(named: "default")
        let feed = InMemoryLeadChangeFeed(InMemoryLeadChangeFeed.leads(1...12))
        let sink = RecordingSink(maxBatchSize: 5)
        let first = try await run(feed, sink, store, ExportOptions(limit: 7, pageSize: 3))
        #expect(first.sent == 7 && first.checkpoint == 7)
        let second = try await run(feed, sink, store)
        #expect(second.sent == 5 && sink.sentIDs.count == 12 && Set(sink.sentIDs).count == 12)
    }

    @Test func aSiteScopedRunKeepsItsOwnCheckpointAndFullResends() async throws {
        let store = try TemporaryCatalog()
        _ = try await store.catalog.tenant(named: "default")
        let leads = InMemoryLeadChangeFeed.leads(1...6, site: 1) + InMemoryLeadChangeFeed.leads(7...10, site: 2)
        let feed = InMemoryLeadChangeFeed(leads)
        let sink = RecordingSink(maxBatchSize: 100)
        let siteTwo = try await run(feed, sink, store, ExportOptions(siteID: 2))
        #expect(siteTwo.sent == 4 && siteTwo.checkpoint == 10)
        let all = try await run(feed, sink, store)
        #expect(all.sent == 10)
        let full = try await run(feed, sink, store, ExportOptions(full: true))
        #expect(full.sent == 10 && full.checkpoint == 10)
    }
}
