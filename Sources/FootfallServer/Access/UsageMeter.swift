import FootfallCore
import FootfallStore
import ServiceLifecycle
import Synchronization

/// Per-tenant monthly usage — authenticated API calls and distinct visitor ids tracked — and
/// the optional quotas on both (`footfall quota set`, stored in the catalog).
///
/// Counted in memory on the request path and added to the catalog about once a second by
/// ``UsageFlusher``; quotas are re-read on each flush. The current month's visitor ids are
/// held in memory (8 bytes each plus set overhead) to tell new visitors from known ones.
final class UsageMeter: Sendable {
    private struct State {
        var month: String
        var quotas: [Int64: TenantQuota] = [:]
        var apiCalls: [Int64: Int] = [:]
        var visitors: [Int64: Set<Int64>] = [:]
        /// Not yet in the catalog, by month.
        var pendingCalls: [String: [Int64: Int]] = [:]
        var pendingVisitors: [String: [Int64: [Int64]]] = [:]

        mutating func roll(to month: String) {
            guard month != self.month else { return }
            self.month = month
            apiCalls = [:]
            visitors = [:]
        }
    }

    /// One tenant's usage of a month, as `GET /api/v1/usage` shows it.
    struct Report {
        var month: String
        var apiCalls: Int
        var visitors: Int
        var quota: TenantQuota
    }

    private let state: Mutex<State>

    private init(state: State) {
        self.state = Mutex(state)
    }

    /// The meter with the current month's usage and the quotas loaded from `catalog`.
    static func load(from catalog: Catalog, now: Int64 = Timestamp.nowMs()) async throws -> UsageMeter {
        let month = UsageMonth.of(now)
        return UsageMeter(state: State(
            month: month, quotas: try await catalog.quotas(), apiCalls: try await catalog.apiCallUsage(month: month),
            visitors: try await catalog.trackedVisitors(month: month)))
    }

    /// Counts one API call of `tenantID`; false (and not counted) when its monthly API call quota is used up.
    func admitCall(tenantID: Int64, now: Int64) -> Bool {
        let month = UsageMonth.of(now)
        return state.withLock { state in
            state.roll(to: month)
            let used = state.apiCalls[tenantID, default: 0]
            if let quota = state.quotas[tenantID]?.apiCallsPerMonth, used >= quota { return false }
            state.apiCalls[tenantID] = used + 1
            state.pendingCalls[month, default: [:]][tenantID, default: 0] += 1
            return true
        }
    }

    /// Whether events of `visitorID` may be stored for `tenantID`: known visitors always, new
    /// ones (then counted) only while the tenant is under its monthly visitor quota.
    func admitVisitor(tenantID: Int64, visitorID: Int64, now: Int64) -> Bool {
        let month = UsageMonth.of(now)
        return state.withLock { state in
            state.roll(to: month)
            if state.visitors[tenantID]?.contains(visitorID) == true { return true }
            if let quota = state.quotas[tenantID]?.visitorsPerMonth, state.visitors[tenantID, default: []].count >= quota {
                return false
            }
            state.visitors[tenantID, default: []].insert(visitorID)
            state.pendingVisitors[month, default: [:]][tenantID, default: []].append(visitorID)
            return true
        }
    }

    /// `tenantID`'s usage in the month of `now`.
    func report(tenantID: Int64, now: Int64) -> Report {
        let month = UsageMonth.of(now)
        return state.withLock { state in
            state.roll(to: month)
            return Report(
                month: month, apiCalls: state.apiCalls[tenantID, default: 0],
                visitors: state.visitors[tenantID]?.count ?? 0, quota: state.quotas[tenantID] ?? TenantQuota())
        }
    }

    /// Adds what was counted since the last flush to the catalog (kept for the next attempt
    /// on failure) and re-reads the quotas.
    func flush(to catalog: Catalog) async throws {
        let (calls, visitors) = state.withLock { state in
            defer {
                state.pendingCalls = [:]
                state.pendingVisitors = [:]
            }
            return (state.pendingCalls, state.pendingVisitors)
        }
        for month in Set(calls.keys).union(visitors.keys).sorted() {
            do {
                try await catalog.addUsage(month: month, apiCalls: calls[month] ?? [:], visitors: visitors[month] ?? [:])
            } catch {
                state.withLock { state in
                    state.pendingCalls[month, default: [:]].merge(calls[month] ?? [:], uniquingKeysWith: +)
                    state.pendingVisitors[month, default: [:]].merge(visitors[month] ?? [:], uniquingKeysWith: +)
                }
                throw error
            }
        }
        let quotas = try await catalog.quotas()
        state.withLock { $0.quotas = quotas }
    }
}

/// Flushes the ``UsageMeter`` every second, and once more on shutdown.
struct UsageFlusher: Service {
    let meter: UsageMeter
    let catalog: Catalog

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: .seconds(1))
                try? await meter.flush(to: catalog)
            }
        }
        try await meter.flush(to: catalog)
    }
}
