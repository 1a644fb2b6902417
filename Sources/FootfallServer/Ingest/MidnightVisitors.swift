import FootfallCore
import Synchronization

/// Cookieless visitor ids seen around midnight UTC, so a visitor whose visit runs across
/// midnight keeps yesterday's id during the salt grace window instead of starting a second
/// visit (with no source, as if it came from the site itself).
///
/// Held in memory only, and only for visitors active within `windowMs` of the coming
/// midnight: at most one inactivity timeout's worth of visitors.
final class MidnightVisitors: Sendable {
    let windowMs: Int64
    /// The midnight (days since the epoch) the ids neighbour, and the ids.
    private let seen = Mutex<(midnight: Int64, ids: Set<VisitorID>)>((0, []))

    init(windowMs: Int64) {
        self.windowMs = windowMs
    }

    /// The midnight `atMs` is within `windowMs` of, if any.
    func midnight(near atMs: Int64) -> Int64? {
        let timeOfDay = atMs % Timestamp.dayMs
        if timeOfDay >= Timestamp.dayMs - windowMs { return atMs / Timestamp.dayMs + 1 }
        if timeOfDay < windowMs { return atMs / Timestamp.dayMs }
        return nil
    }

    /// Remembers that `id` was active at `atMs`, when that is close to midnight.
    func record(_ id: VisitorID, atMs: Int64) {
        guard let midnight = midnight(near: atMs) else { return }
        seen.withLock { seen in
            if seen.midnight != midnight { seen = (midnight, []) }
            seen.ids.insert(id)
        }
    }

    /// Whether `id` was active close to the midnight `atMs` follows.
    func contains(_ id: VisitorID, atMs: Int64) -> Bool {
        guard let midnight = midnight(near: atMs) else { return false }
        return seen.withLock { $0.midnight == midnight && $0.ids.contains(id) }
    }
}
