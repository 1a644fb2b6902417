import FootfallCore

/// A destination for leads: a CRM, a webhook or a file.
///
/// `footfall export <sink>` reads lead changes after the sink's checkpoint and calls
/// ``send(_:)`` in batches of at most ``maxBatchSize``; the checkpoint advances only
/// after ``send(_:)`` returned, i.e. after the target confirmed.
public protocol LeadSink {
    /// The target's own limit on records per request.
    var maxBatchSize: Int { get }

    /// Delivers one batch; throws if the target did not confirm all of it.
    mutating func send(_ leads: [Lead]) async throws
}
