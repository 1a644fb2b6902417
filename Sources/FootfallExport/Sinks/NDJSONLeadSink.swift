import FootfallCore
import Foundation

/// Writes leads as newline-delimited JSON, one object per line, to any byte consumer
/// (a file, stdout, a pipe).
public struct NDJSONLeadSink: LeadSink {
    public let maxBatchSize = 1_000
    let write: (Data) throws -> Void

    /// - Parameter write: receives each encoded batch.
    public init(write: @escaping (Data) throws -> Void) {
        self.write = write
    }

    public mutating func send(_ leads: [Lead]) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var data = Data()
        for lead in leads {
            data.append(try encoder.encode(lead))
            data.append(UInt8(ascii: "\n"))
        }
        try write(data)
    }
}
