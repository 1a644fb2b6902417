import FootfallCore
import FootfallStore
import Synchronization

/// Filtered traffic (bots, shield drops, Do-Not-Track, excluded paths, quota) counted in memory and added to the catalog's
/// `bot_counts` about once a second (``BotCountFlusher``), so a crawler flood costs a
/// dictionary update per request rather than a database write.
final class BotTally: Sendable {
    private struct Key: Hashable {
        var siteID: Int64
        var day: Int64
        var family: String
        var signal: String
    }

    private let pending = Mutex([Key: Int]())

    /// Distinct (site, day, family, signal) keys held between flushes. Family names come from
    /// the User-Agent, so a client inventing names must not grow memory or the catalog without
    /// bound: beyond this, new families are counted as "Other bot".
    static let maxPendingKeys = 2_000

    /// Counts `count` dropped events of one bot on a site at `atMs` (ms since the epoch).
    func add(siteID: Int64, atMs: Int64, verdict: BotVerdict, count: Int) {
        add(siteID: siteID, atMs: atMs, family: verdict.family, signal: verdict.signal.rawValue, count: count)
    }

    /// Counts `count` dropped events under `family` and `signal` (a ``BotVerdict/Signal`` raw
    /// value, a `shield_*` ``DropReason`` raw value under the family "Shield", or another
    /// ``DropReason`` raw value with an empty family).
    func add(siteID: Int64, atMs: Int64, family: String, signal: String, count: Int) {
        var key = Key(siteID: siteID, day: atMs / 86_400_000, family: family, signal: signal)
        pending.withLock { counts in
            if counts[key] == nil && counts.count >= Self.maxPendingKeys { key.family = "Other bot" }
            counts[key, default: 0] += count
        }
    }

    /// Takes everything counted so far.
    func drain() -> [BotCount] {
        pending.withLock { counts in
            defer { counts.removeAll() }
            return counts.map {
                BotCount(siteID: $0.key.siteID, day: $0.key.day, family: $0.key.family, signal: $0.key.signal, count: $0.value)
            }
        }
    }

    /// Puts counts back after a failed write so they are not lost.
    func restore(_ counts: [BotCount]) {
        for count in counts {
            let key = Key(siteID: count.siteID, day: count.day, family: count.family, signal: count.signal)
            pending.withLock { $0[key, default: 0] += count.count }
        }
    }

    /// Writes the drained counts to the catalog, keeping them for the next attempt on failure.
    func flush(to catalog: Catalog) async throws {
        let counts = drain()
        do {
            try await catalog.addBotCounts(counts)
        } catch {
            restore(counts)
            throw error
        }
    }
}
