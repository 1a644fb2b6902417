import FootfallCore
import FootfallStore
import Synchronization
import Testing

/// An event store that records the batches it receives and can be told to block or fail.
final class RecordingStore: EventStore {
    let batches = Mutex<[[String]]>([])
    let gate = Mutex<CheckedContinuation<Void, Never>?>(nil)
    let blockFirstAppend: Bool
    let failing: Bool

    init(blockFirstAppend: Bool = false, failing: Bool = false) {
        self.blockFirstAppend = blockFirstAppend
        self.failing = failing
    }

    func append(_ events: [Event]) async throws -> Int {
        let isFirst = batches.withLock { batches in
            batches.append(events.map(\.id))
            return batches.count == 1
        }
        if isFirst && blockFirstAppend {
            await withCheckedContinuation { continuation in gate.withLock { $0 = continuation } }
        }
        if failing { throw StoreFailure() }
        return events.count
    }

    func release() {
        gate.withLock { $0?.resume(); $0 = nil }
    }

    var isBlocked: Bool { gate.withLock { $0 != nil } }

    func visits(_ query: VisitQuery) async throws -> [Visit] { [] }

    func closeIdleVisits(now: Int64) -> LiveVisitCounts { LiveVisitCounts(openVisits: 0, heldEvents: 0) }

    struct StoreFailure: Error {}
}

@Suite struct GroupCommitWriterTests {
    func event(_ id: String) -> Event {
        Event(id: id, siteID: 1, visitorID: 1, type: .pageview, timestamp: 0, url: "https://a.io/", path: "/")
    }

    @Test func submissionsArrivingDuringACommitShareTheNextTransaction() async throws {
        let store = RecordingStore(blockFirstAppend: true)
        let writer = GroupCommitWriter(store: store, capacity: 100)
        let runner = Task { await writer.run() }
        async let first: Void = writer.submit([event("a")])
        while !store.isBlocked { await Task.yield() }
        async let second: Void = writer.submit([event("b")])
        async let third: Void = writer.submit([event("c"), event("d")])
        while writer.depth < 4 { await Task.yield() }
        store.release()
        _ = try await (first, second, third)
        #expect(store.batches.withLock { $0 } == [["a"], ["b", "c", "d"]])
        writer.finish()
        await runner.value
    }

    @Test func aFullQueueRefusesAtOnce() async throws {
        let store = RecordingStore(blockFirstAppend: true)
        let writer = GroupCommitWriter(store: store, capacity: 2)
        let runner = Task { await writer.run() }
        async let first: Void = writer.submit([event("a"), event("b")])
        while !store.isBlocked { await Task.yield() }
        await #expect(throws: WriterError.overloaded) { try await writer.submit([event("c")]) }
        store.release()
        try await first
        writer.finish()
        await runner.value
    }

    @Test func aFailedCommitFailsEverySubmissionInIt() async throws {
        let writer = GroupCommitWriter(store: RecordingStore(failing: true))
        let runner = Task { await writer.run() }
        await #expect(throws: RecordingStore.StoreFailure.self) { try await writer.submit([event("a")]) }
        #expect(writer.depth == 0)
        writer.finish()
        await runner.value
    }

    @Test func finishCommitsWhatIsQueuedThenRefusesNewWork() async throws {
        let store = RecordingStore()
        let writer = GroupCommitWriter(store: store)
        async let queued: Void = writer.submit([event("a")])
        while writer.depth < 1 { await Task.yield() }
        writer.finish()
        await writer.run()
        try await queued
        #expect(store.batches.withLock { $0 } == [["a"]])
        await #expect(throws: WriterError.shuttingDown) { try await writer.submit([event("b")]) }
    }
}
