/// What one `footfall export` run reads and sends.
public struct ExportOptions: Sendable {
    /// Start after the stored checkpoint (`--since-checkpoint`, the default) or from the
    /// first change (`--full`).
    public var full: Bool
    /// Export only this site's leads; it keeps its own checkpoint.
    public var siteID: Int64?
    /// Leads scoring below this (0–100) are skipped, and passed over by the checkpoint.
    /// Tombstones (``Lead/isTombstone``: erased leads) are always sent, so a target learns
    /// of every erasure.
    public var minScore: Int
    /// Stop after sending this many leads.
    public var limit: Int?
    /// Print what would be sent; call no target, move no checkpoint.
    public var dryRun: Bool
    /// Changes read from the feed per page (memory stays bounded by this and the batch size).
    public var pageSize: Int

    public init(full: Bool = false, siteID: Int64? = nil, minScore: Int = 0, limit: Int? = nil,
                dryRun: Bool = false, pageSize: Int = 1_000) {
        self.full = full
        self.siteID = siteID
        self.minScore = minScore
        self.limit = limit
        self.dryRun = dryRun
        self.pageSize = pageSize
    }
}
