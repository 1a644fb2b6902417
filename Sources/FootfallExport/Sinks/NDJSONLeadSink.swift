import FootfallCore
import Foundation

/// Writes leads as newline-delimited JSON, one snake_case object per line (the Lead API's
/// shape), to any byte consumer (a file, stdout, a pipe).
public struct NDJSONLeadSink: LeadSink {
    public let maxBatchSize = 1_000
    let write: (Data) throws -> Void

    /// - Parameter write: receives each encoded batch.
    public init(write: @escaping (Data) throws -> Void) {
        self.write = write
    }

    public mutating func send(_ leads: [Lead]) async throws -> SinkBatchResult {
        try write(preview(leads))
        return .delivered(leads.count)
    }
}
