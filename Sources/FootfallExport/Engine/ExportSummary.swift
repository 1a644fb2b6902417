/// Counts of one export run, printed as its one-line summary.
public struct ExportSummary: Sendable, Equatable {
    /// Leads the target confirmed (created + updated + delivered).
    public var sent = 0
    public var created = 0
    public var updated = 0
    /// Leads the target refused; the run stops after the batch that had them unless all of
    /// them were parked.
    public var failed = 0
    /// Refused leads parked in this run (``ExportRefusal``): the checkpoint passed over them.
    public var parked = 0
    /// Leads below `--min-score`.
    public var skipped = 0
    /// Checkpoint (`change_seq`) after the run.
    public var checkpoint: Int64 = 0
    /// Why the target confirmed nothing of the last batch (after retries), if it did not.
    public var error: String?
    /// The refused leads with the target's reasons.
    public var failures: [RecordFailure] = []
    /// Wall-clock duration of the run, seconds.
    public var elapsed: Double = 0

    public init() {}

    /// `sent 120, created 100, updated 20, failed 0, skipped 3, elapsed 1.4s` (`, parked N` after
    /// `failed` when a run parked refused leads).
    public var line: String {
        "sent \(sent), created \(created), updated \(updated), failed \(failed)"
            + (parked > 0 ? ", parked \(parked)" : "") + ", skipped \(skipped), elapsed " + String(format: "%.1fs", elapsed)
    }
}
