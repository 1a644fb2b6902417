import FootfallCore
import Synchronization

/// The single writer of the event log: a bounded queue drained by group commit.
///
/// Front ends hand events to ``enqueue(_:completion:)`` without suspending (the event-loop
/// beacon handler answers from the completion) or ``submit(_:)`` from async code; either is
/// completed only after the transaction holding its events committed, so a 202 always means
/// "durable" (to the store's ``Durability``). Submissions arriving while a commit runs are
/// gathered into the next transaction, amortising the fsync. A full queue refuses new work
/// at once (``WriterError/overloaded``) instead of growing without bound.
public final class GroupCommitWriter: Sendable {
    /// Reports each commit: how many events it carried, how many were new, and how long it took.
    public typealias CommitObserver = @Sendable (_ events: Int, _ inserted: Int, _ seconds: Double) -> Void
    /// Called once per submission with the outcome of the commit that held it.
    public typealias Completion = @Sendable (Result<Void, any Error>) -> Void

    struct Submission {
        var events: [Event]
        var completion: Completion
    }

    struct State {
        var queue: [Submission] = []
        var queuedEvents = 0
        var accepting = true
    }

    let store: any EventStore
    /// Most events waiting for a commit before submissions are refused.
    public let capacity: Int
    /// Most events committed in one transaction.
    public let maxBatch: Int
    let observer: CommitObserver
    private let state = Mutex(State())
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - store: where committed events go.
    ///   - capacity: queue bound in events; beyond it submissions throw ``WriterError/overloaded``.
    ///     It bounds memory: about 1–2 KB per queued event.
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
    public var depth: Int { state.withLock { $0.queuedEvents } }

    /// Queues `events`; `completion` runs on the writer's task once they are committed (or
    /// the commit failed with the store's error).
    /// - Throws: ``WriterError/overloaded`` when the queue is full, ``WriterError/shuttingDown``
    ///   after ``finish()``; `completion` is then never called.
    public func enqueue(_ events: [Event], completion: @escaping Completion) throws(WriterError) {
        try state.withLock { state throws(WriterError) in
            guard state.accepting else { throw WriterError.shuttingDown }
            guard state.queuedEvents + events.count <= capacity else { throw WriterError.overloaded }
            state.queuedEvents += events.count
            state.queue.append(Submission(events: events, completion: completion))
        }
        wake.yield()
    }

    /// Queues `events` and returns once they are committed.
    /// - Throws: as ``enqueue(_:completion:)``, or the store's error when the commit failed.
    public func submit(_ events: [Event]) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            do {
                try enqueue(events) { continuation.resume(with: $0) }
            } catch {
                continuation.resume(throwing: error)
            }
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
        state.withLock { $0.accepting = false }
        wake.finish()
    }

    /// The next submissions to commit together: at most ``maxBatch`` events unless one
    /// submission alone is larger.
    private func takeBatch() -> [Submission] {
        state.withLock { state in
            var count = 0
            var taken = 0
            for submission in state.queue {
                guard taken == 0 || count + submission.events.count <= maxBatch else { break }
                count += submission.events.count
                taken += 1
            }
            defer { state.queue.removeFirst(taken) }
            return Array(state.queue.prefix(taken))
        }
    }

    private func drain() async {
        while true {
            let batch = takeBatch()
            guard !batch.isEmpty else { return }
            let events = batch.flatMap(\.events)
            let started = ContinuousClock.now
            let result: Result<Int, any Error>
            do {
                result = .success(try await store.append(events))
            } catch {
                result = .failure(error)
            }
            state.withLock { $0.queuedEvents -= events.count }
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if case .success(let inserted) = result { observer(events.count, inserted, seconds) }
            let outcome = result.map { _ in () }
            for submission in batch { submission.completion(outcome) }
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
