import FootfallCore
import FootfallStore
import Foundation

/// One export run: reads a tenant's lead changes after the sink's checkpoint, page by page,
/// sends them in the sink's batch size and moves the checkpoint only over leads the target
/// confirmed — so a run killed at any moment and rerun sends every change again at most once
/// more (the sinks' writes are idempotent upserts) and misses none.
///
/// Memory is bounded by one feed page plus one batch, whatever the number of changes.
public struct LeadExporter {
    let feed: any LeadChangeFeed
    let catalog: Catalog
    let tenantID: Int64
    let sinkName: String
    var sink: any LeadSink
    let options: ExportOptions

    /// - Parameters:
    ///   - feed: the tenant's lead changes (the data directory's store, or a remote Footfall).
    ///   - catalog: where the checkpoint of (`tenantID`, `sinkName`, site) is kept.
    ///   - sinkName: the configured sink's name (the checkpoint's key).
    public init(feed: any LeadChangeFeed, catalog: Catalog, tenantID: Int64, sinkName: String,
                sink: any LeadSink, options: ExportOptions) {
        self.feed = feed
        self.catalog = catalog
        self.tenantID = tenantID
        self.sinkName = sinkName
        self.sink = sink
        self.options = options
    }

    /// Runs the export to the end of the feed (or `--limit`), or until a batch had failures
    /// that are not parked (``ExportRefusal``).
    /// - Parameters:
    ///   - progress: called after every batch with the counts so far.
    ///   - preview: receives each batch in the sink's format (``LeadSink/preview(_:)``)
    ///     instead of the sink when `options.dryRun`.
    /// - Returns: the counts; `failures` and `error` say why the run stopped early.
    /// - Throws: the feed's or the catalog's storage errors (nothing was confirmed then).
    public mutating func run(
        progress: (ExportSummary) -> Void = { _ in },
        preview: (Data) throws -> Void = { _ in }
    ) async throws -> ExportSummary {
        let clock = ContinuousClock()
        let started = clock.now
        var summary = ExportSummary()
        var checkpoint = try await catalog.exportCheckpoint(tenantID: tenantID, sink: sinkName, siteID: options.siteID ?? 0)
        summary.checkpoint = checkpoint.changeSeq
        func finish() -> ExportSummary {
            summary.elapsed = Double((clock.now - started).components.seconds)
                + Double((clock.now - started).components.attoseconds) / 1e18
            return summary
        }
        do {
            if !options.dryRun { try await sink.prepare() }
        } catch {
            summary.error = "\(error)"
            return finish()
        }

        var cursor = options.full ? 0 : checkpoint.changeSeq
        var batch: [Lead] = []
        var remaining = options.limit ?? .max

        /// Sends `batch`; moves the checkpoint to `through` when all of it was confirmed.
        func flush(through: Int64) async throws -> Bool {
            defer { batch.removeAll(keepingCapacity: true) }
            if options.dryRun {
                try preview(sink.preview(batch))
                summary.sent += batch.count
                return true
            }
            let result: SinkBatchResult
            do {
                result = try await sink.send(batch)
            } catch {
                summary.error = "\(error)"
                summary.failed += batch.count
                return false
            }
            summary.created += result.created
            summary.updated += result.updated
            summary.sent += result.created + result.updated + result.delivered
            summary.failed += result.failures.count
            // A change refused in ExportRefusal.parkAfterRuns runs is parked: passed over.
            let counted = try await catalog.countExportRefusals(
                result.failures.map { ExportRefusal(leadID: $0.leadID, changeSeq: $0.changeSeq, reason: $0.reason) },
                at: checkpoint)
            let parked = Set(counted.filter(\.parked).map(\.changeSeq))
            summary.parked += parked.count
            summary.failures += result.failures.map { failure in
                guard parked.contains(failure.changeSeq) else { return failure }
                var noted = failure
                noted.reason += " (parked after \(ExportRefusal.parkAfterRuns) refused runs: sent again when the lead changes)"
                return noted
            }
            let held = result.failures.filter { !parked.contains($0.changeSeq) }
            // Everything before the first held change is confirmed (sequences are integers
            // and the feed has no gaps within the export's scope).
            let confirmed = held.map { $0.changeSeq - 1 }.min() ?? through
            if confirmed > checkpoint.changeSeq {
                checkpoint.changeSeq = confirmed
                try await catalog.saveExportCheckpoint(checkpoint)
                summary.checkpoint = confirmed
            }
            progress(summary)
            return held.isEmpty
        }

        reading: while remaining > 0 {
            let page = try await feed.leadChanges(
                tenantID: tenantID, siteID: options.siteID, after: cursor, limit: options.pageSize)
            for lead in page {
                if remaining == 0 { break reading }
                cursor = lead.changeSeq
                if lead.score < options.minScore, !lead.isTombstone {
                    summary.skipped += 1
                    continue
                }
                batch.append(lead)
                remaining -= 1
                if batch.count == sink.maxBatchSize, !(try await flush(through: cursor)) { return finish() }
            }
            if page.count < options.pageSize { break }
        }
        if !batch.isEmpty, !(try await flush(through: cursor)) { return finish() }
        // Skipped changes after the last batch are passed over too.
        if !options.dryRun, cursor > checkpoint.changeSeq {
            checkpoint.changeSeq = cursor
            try await catalog.saveExportCheckpoint(checkpoint)
            summary.checkpoint = cursor
        }
        return finish()
    }
}
