import Synchronization

/// A bounded, thread-safe memo of User-Agent classifications.
///
/// Two generations: lookups hit the current one, then the previous one (promoting the entry);
/// when the current generation fills up it becomes the previous one and the oldest is dropped.
/// That approximates LRU at the cost of one dictionary swap per `capacity` distinct inserts,
/// and never holds more than `2 × capacity` entries.
final class UserAgentCache: Sendable {
    private struct Generations {
        var current: [String: UserAgentInfo] = [:]
        var previous: [String: UserAgentInfo] = [:]
    }

    let capacity: Int
    private let state = Mutex(Generations())

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(userAgent: String) -> UserAgentInfo? {
        get {
            state.withLock { generations in
                if let info = generations.current[userAgent] { return info }
                guard let info = generations.previous[userAgent] else { return nil }
                generations.current[userAgent] = info
                if generations.current.count >= capacity { Self.rotate(&generations) }
                return info
            }
        }
        set {
            guard let newValue else { return }
            state.withLock { generations in
                generations.current[userAgent] = newValue
                if generations.current.count >= capacity { Self.rotate(&generations) }
            }
        }
    }

    private static func rotate(_ generations: inout Generations) {
        generations.previous = generations.current
        generations.current = [:]
        generations.current.reserveCapacity(generations.previous.count)
    }

    /// Entries currently held (for tests).
    var count: Int {
        state.withLock { $0.current.count + $0.previous.count }
    }
}
