import FootfallCore
import Foundation

/// A destination for leads: a CRM, a webhook or a file.
///
/// `footfall export <sink>` reads lead changes after the sink's checkpoint and calls
/// ``send(_:)`` in batches of at most ``maxBatchSize``; the checkpoint advances only
/// over leads the target confirmed. Every `send` must be safe to repeat with the same
/// leads (an upsert keyed on `Lead.id`, or a signed batch the receiver dedupes by
/// `(id, change_seq)`): after a crash the batch in flight is sent again.
public protocol LeadSink {
    /// The target's own limit on records per request.
    var maxBatchSize: Int { get }

    /// One-time setup before the first batch of a run (e.g. creating CRM properties).
    mutating func prepare() async throws

    /// Delivers one batch and reports what the target did with each lead.
    /// - Throws: ``SinkError`` when the target confirmed none of the batch.
    mutating func send(_ leads: [Lead]) async throws -> SinkBatchResult

    /// What `--dry-run` prints for one batch instead of sending it, in the sink's own format
    /// (CSV rows, the webhook or CRM request bodies). Sends nothing.
    mutating func preview(_ leads: [Lead]) throws -> Data
}

extension LeadSink {
    public mutating func prepare() async throws {}

    /// The leads as NDJSON lines (``LeadJSON``), for sinks without a format of their own.
    public mutating func preview(_ leads: [Lead]) throws -> Data {
        var data = Data()
        for lead in leads {
            data.append(try LeadJSON.encode(lead))
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }
}

/// What the target did with one batch.
public struct SinkBatchResult: Sendable, Equatable {
    /// Records the target created (CRMs that tell; 0 for files and webhooks).
    public var created: Int
    /// Records the target updated (CRMs that tell).
    public var updated: Int
    /// Leads delivered without a created/updated distinction (files, webhooks).
    public var delivered: Int
    /// Leads the target refused after retries, with its reasons.
    public var failures: [RecordFailure]

    public init(created: Int = 0, updated: Int = 0, delivered: Int = 0, failures: [RecordFailure] = []) {
        self.created = created
        self.updated = updated
        self.delivered = delivered
        self.failures = failures
    }

    /// Every lead of a batch delivered, with no per-record detail.
    public static func delivered(_ count: Int) -> SinkBatchResult { SinkBatchResult(delivered: count) }

    /// Upserts `leads` through `upsert`, resending only the records the target refused, in at
    /// most `calls` calls; leads still refused become ``failures`` with the target's last reason.
    /// - Parameter upsert: one batch call returning created and updated counts and the refused
    ///   lead ids with the target's reason; its errors propagate.
    static func resendingRefused(
        _ leads: [Lead], calls: Int,
        upsert: ([Lead]) async throws -> (created: Int, updated: Int, refused: [String: String])
    ) async throws -> SinkBatchResult {
        var result = SinkBatchResult()
        var pending = leads
        var reasons: [String: String] = [:]
        for _ in 0..<calls where !pending.isEmpty {
            let answer = try await upsert(pending)
            result.created += answer.created
            result.updated += answer.updated
            reasons = answer.refused
            pending = pending.filter { answer.refused[$0.id] != nil }
        }
        result.failures = pending.map {
            RecordFailure(leadID: $0.id, changeSeq: $0.changeSeq, reason: reasons[$0.id] ?? "refused")
        }
        return result
    }
}

/// One lead the target refused, with the target's own words.
public struct RecordFailure: Sendable, Equatable {
    public var leadID: String
    public var changeSeq: Int64
    /// The target's error, e.g. `VALIDATION_ERROR: Property values were not valid (trace ld_…)`.
    public var reason: String

    public init(leadID: String, changeSeq: Int64, reason: String) {
        self.leadID = leadID
        self.changeSeq = changeSeq
        self.reason = reason
    }
}
