import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Reverse DNS (PTR) lookups for enrichment that never block ingest.
///
/// The ingest path asks ``cachedAnswer(for:)``, which only reads the cache: a miss starts
/// a background lookup (at most `maxConcurrent` at a time, each on its own thread,
/// because `getnameinfo` blocks) and the answer serves the visitor's later beacons. Each lookup
/// has a deadline: one that has not answered by then is recorded as timed out and retried
/// only after `negativeTTL`, so a dead resolver costs nothing per beacon.
public final class ReverseDNS: Sendable {
    /// Resolves an address to its PTR host name; nil when it has none. Blocking.
    public typealias Resolver = @Sendable (IPAddress) -> String?

    /// A resolved host name and its registrable domain.
    public struct Answer: Sendable, Equatable {
        public var hostname: String
        /// Registrable domain per the Public Suffix List; empty when there is none.
        public var domain: String
    }

    /// The outcome of a lookup.
    public enum Outcome: Sendable, Equatable {
        case found(Answer)
        case noName
        case timedOut
    }

    enum Entry {
        case pending(deadline: ContinuousClock.Instant, waiters: [CheckedContinuation<Outcome, Never>])
        case done(Outcome, expires: ContinuousClock.Instant)
    }

    struct State {
        var entries: [IPAddress: Entry] = [:]
        var inFlight = 0
    }

    let timeout: Duration
    let ttl: Duration
    let negativeTTL: Duration
    let maxConcurrent: Int
    let capacity: Int
    let suffixes: PublicSuffixList
    let resolver: Resolver
    private let state = Mutex(State())

    /// - Parameters:
    ///   - timeout: how long a lookup may take before it counts as failed.
    ///   - ttl: how long answers are kept.
    ///   - negativeTTL: how long failures (no name, timeout) are kept before a retry.
    ///   - maxConcurrent: lookups running at once; further misses are retried on a later beacon.
    ///   - capacity: cached addresses before the cache is emptied of finished entries.
    ///   - suffixes: the Public Suffix List for registrable domains.
    ///   - resolver: the PTR resolver (default: the system's `getnameinfo`).
    public init(
        timeout: Duration = .seconds(2), ttl: Duration = .seconds(6 * 3600), negativeTTL: Duration = .seconds(600),
        maxConcurrent: Int = 8, capacity: Int = 100_000, suffixes: PublicSuffixList,
        resolver: @escaping Resolver = ReverseDNS.systemResolver
    ) {
        self.timeout = timeout
        self.ttl = ttl
        self.negativeTTL = negativeTTL
        self.maxConcurrent = maxConcurrent
        self.capacity = capacity
        self.suffixes = suffixes
        self.resolver = resolver
    }

    /// The cached answer for `address`, never waiting; a miss starts a background lookup.
    public func cachedAnswer(for address: IPAddress) -> Answer? {
        let (cached, start) = state.withLock { state -> (Outcome?, Bool) in
            let now = ContinuousClock.now
            switch state.entries[address] {
            case .done(let outcome, let expires) where expires > now:
                return (outcome, false)
            case .pending:
                return (nil, false)
            default:
                return (nil, begin(address, in: &state, now: now))
            }
        }
        if start { launch(address) }
        if case .found(let answer) = cached { return answer }
        return nil
    }

    /// Looks `address` up, waiting at most the timeout (for `footfall lookup-ip`).
    public func resolve(_ address: IPAddress) async -> Outcome {
        await withCheckedContinuation { continuation in
            let (ready, start) = state.withLock { state -> (Outcome?, Bool) in
                let now = ContinuousClock.now
                switch state.entries[address] {
                case .done(let outcome, let expires) where expires > now:
                    return (outcome, false)
                case .pending(let deadline, var waiters):
                    waiters.append(continuation)
                    state.entries[address] = .pending(deadline: deadline, waiters: waiters)
                    return (nil, false)
                default:
                    guard begin(address, in: &state, now: now) else { return (.timedOut, false) }
                    state.entries[address] = .pending(deadline: now + timeout, waiters: [continuation])
                    return (nil, true)
                }
            }
            if let ready { continuation.resume(returning: ready) }
            if start { launch(address) }
        }
    }

    /// Marks `address` pending if a lookup slot is free.
    private func begin(_ address: IPAddress, in state: inout State, now: ContinuousClock.Instant) -> Bool {
        guard state.inFlight < maxConcurrent else { return false }
        if state.entries.count >= capacity {
            state.entries = state.entries.filter { if case .pending = $0.value { true } else { false } }
        }
        state.inFlight += 1
        state.entries[address] = .pending(deadline: now + timeout, waiters: [])
        return true
    }

    private func launch(_ address: IPAddress) {
        let resolver = resolver
        // A thread of its own: getnameinfo may block for many seconds, which must not tie
        // up the Dispatch pool the deadline timer below (and the rest of the server) uses.
        Thread.detachNewThread {
            let hostname = resolver(address)
            self.finish(address, hostname: hostname)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(timeout.nanoseconds))) {
            self.expire(address)
        }
    }

    private func finish(_ address: IPAddress, hostname: String?) {
        let outcome: Outcome = hostname.map { name in
            .found(Answer(hostname: name, domain: suffixes.registrableDomain(of: name) ?? ""))
        } ?? .noName
        let waiters = state.withLock { state -> [CheckedContinuation<Outcome, Never>] in
            state.inFlight -= 1
            // A lookup past its deadline was already recorded as timed out.
            guard case .pending(let deadline, let waiters) = state.entries[address], ContinuousClock.now <= deadline else {
                return []
            }
            let keep = if case .found = outcome { ttl } else { negativeTTL }
            state.entries[address] = .done(outcome, expires: .now + keep)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: outcome) }
    }

    private func expire(_ address: IPAddress) {
        let waiters = state.withLock { state -> [CheckedContinuation<Outcome, Never>] in
            guard case .pending(_, let waiters) = state.entries[address] else { return [] }
            state.entries[address] = .done(.timedOut, expires: .now + negativeTTL)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: .timedOut) }
    }

    /// `getnameinfo(NI_NAMEREQD)`: the system resolver, /etc/hosts included.
    public static let systemResolver: Resolver = { address in
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = MaxMindDatabase.withSocketAddress(address) { socket in
            getnameinfo(
                socket, socklen_t(address.isIPv4 ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size),
                &host, socklen_t(host.count), nil, 0, NI_NAMEREQD)
        }
        guard status == 0 else { return nil }
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
