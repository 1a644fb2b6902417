import FootfallCore
import FootfallExport
import FootfallStore

/// A change feed over an array, recording the page sizes asked for (test target only).
final class InMemoryLeadChangeFeed: LeadChangeFeed, @unchecked Sendable {
    var leads: [Lead]
    private(set) var requestedLimits: [Int] = []

    init(_ leads: [Lead]) {
        self.leads = leads
    }

    func leadChanges(tenantID: Int64, siteID: Int64?, after: Int64, limit: Int) async throws -> [Lead] {
        requestedLimits.append(limit)
        return Array(leads.filter { $0.changeSeq > after && (siteID == nil || $0.siteID == siteID) }
            .sorted { $0.changeSeq < $1.changeSeq }.prefix(limit))
    }

    /// Leads 1…count with change_seq = index, on `site`, score = index % 101.
    static func leads(_ range: ClosedRange<Int64>, site: Int64 = 1) -> [Lead] {
        range.map { seq in
            Lead(id: "ld_\(String(seq, radix: 16).leftPadded(16))", siteID: site, organisation: "Company \(seq)",
                 domain: "company\(seq).example", networkType: .business, firstSeen: 1_000, lastSeen: 2_000 + seq,
                 visits: 1, score: Int(seq % 101), changeSeq: seq)
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// A sink that records batches and refuses chosen leads or whole batches.
final class RecordingSink: LeadSink, @unchecked Sendable {
    let maxBatchSize: Int
    var batches: [[Lead]] = []
    var refuse: Set<String> = []
    var throwOnBatch: Int?

    init(maxBatchSize: Int) {
        self.maxBatchSize = maxBatchSize
    }

    func send(_ leads: [Lead]) async throws -> SinkBatchResult {
        if batches.count == throwOnBatch {
            throwOnBatch = nil
            throw SinkError.unreachable("connection reset")
        }
        batches.append(leads)
        let failures = leads.filter { refuse.contains($0.id) }
            .map { RecordFailure(leadID: $0.id, changeSeq: $0.changeSeq, reason: "VALIDATION_ERROR: bad") }
        return SinkBatchResult(created: leads.count - failures.count, failures: failures)
    }

    var sentIDs: [String] { batches.flatMap { $0.map(\.id) } }
}
