import FootfallCore

/// The single writer of the event log: a bounded queue drained by group commit.
///
/// Ingest calls ``submit(_:)`` and is resumed only after the transaction holding its
/// events committed, so a 202 always means "durable". Submissions that arrive while a
/// commit runs are gathered into the next transaction, amortising the fsync. A full queue
/// refuses new work at once (``WriterError/overloaded``) instead of growing without bound.
public actor GroupCommitWriter {
    /// Reports each commit: how many events it carried and how long it took.
    public typealias CommitObserver = @Sendable (_ events: Int, _ inserted: Int, _ seconds: Double) -> Void

    struct Submission {
        var events: [Event]
        var continuation: CheckedContinuation<Void, any Error>
    }

    let store: any EventStore
    /// Most events waiting for a commit before submissions are refused.
    public let capacity: Int
    /// Most events committed in one transaction.
    public let maxBatch: Int
    let observer: CommitObserver
    private var queue: [Submission] = []
    private var queuedEvents = 0
    private var accepting = true
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - store: where committed events go.
    ///   - capacity: queue bound in events; beyond it ``submit(_:)`` throws ``WriterError/overloaded``.
    ///   - maxBatch: upper bound of events per transaction.
    ///   - observer: called after each commit (for metrics).
    public init(store: any EventStore, capacity: Int = 50_000, maxBatch: Int = 2_000, observer: @escaping CommitObserver = { _, _, _ in }) {
        self.store = store
        self.capacity = capacity
        self.maxBatch = maxBatch
        self.observer = observer
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Events waiting for a commit.
    public var depth: Int { queuedEvents }

    /// Queues `events` and returns once they are committed.
    /// - Throws: ``WriterError/overloaded`` when the queue is full, ``WriterError/shuttingDown``
    ///   after ``finish()``, or the store's error when the commit failed.
    public func submit(_ events: [Event]) async throws {
        guard accepting else { throw WriterError.shuttingDown }
        guard queuedEvents + events.count <= capacity else { throw WriterError.overloaded }
        queuedEvents += events.count
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Submission(events: events, continuation: continuation))
            wake.yield()
        }
    }

    /// Commits queued events until ``finish()`` is called, then commits what is left and returns.
    public func run() async {
        for await _ in wakeups {
            await drain()
        }
        await drain()
    }

    /// Stops accepting submissions; ``run()`` returns once everything queued is committed.
    public func finish() {
        accepting = false
        wake.finish()
    }

    private func drain() async {
        while !queue.isEmpty {
            var batch: [Submission] = []
            var events: [Event] = []
            while let next = queue.first, events.isEmpty || events.count + next.events.count <= maxBatch {
                queue.removeFirst()
                events.append(contentsOf: next.events)
                batch.append(next)
            }
            let started = ContinuousClock.now
            let result: Result<Int, any Error>
            do {
                result = .success(try await store.append(events))
            } catch {
                result = .failure(error)
            }
            queuedEvents -= events.count
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if case .success(let inserted) = result { observer(events.count, inserted, seconds) }
            for submission in batch {
                switch result {
                case .success: submission.continuation.resume()
                case .failure(let error): submission.continuation.resume(throwing: error)
                }
            }
        }
    }
}

/// Why the writer refused a submission.
public enum WriterError: Error, Equatable {
    /// The queue is full: the client should retry later (503 + Retry-After).
    case overloaded
    /// The server is shutting down and accepts no new events.
    case shuttingDown
}
