import FootfallCore
import FootfallStore
import Foundation
import Synchronization

/// The visitor-hash salts in use, read from the catalog once per UTC day and again when the
/// grace window after midnight ends (which deletes yesterday's salt, see
/// ``Catalog/visitorSalts(atMs:graceMs:)``).
final class SaltCache: Sendable {
    let catalog: Catalog
    /// How long after midnight UTC yesterday's salt still continues running visits,
    /// milliseconds: the sessionizer's inactivity timeout, since a visit idle longer has
    /// ended anyway.
    let graceMs: Int64
    /// Visitors active close to midnight, who keep yesterday's id during the grace window.
    let midnightVisitors: MidnightVisitors
    private let current = Mutex<VisitorSalts?>(nil)

    init(catalog: Catalog, graceMs: Int64 = Sessionizer.Configuration().inactivityMs) {
        self.catalog = catalog
        self.graceMs = graceMs
        midnightVisitors = MidnightVisitors(windowMs: graceMs)
    }

    /// The salts for `timestampMs` (ms since the epoch) if they are in memory and still
    /// valid (the grace window has not begun or ended since they were read).
    func cachedSalts(atMs timestampMs: Int64) -> VisitorSalts? {
        let day = timestampMs / Timestamp.dayMs
        let inGrace = timestampMs - day * Timestamp.dayMs < graceMs
        return current.withLock { cached in
            cached.flatMap { $0.day == day && ($0.previous != nil) == inGrace ? $0 : nil }
        }
    }

    /// The salts for `timestampMs` (ms since the epoch).
    func salts(atMs timestampMs: Int64) async throws -> VisitorSalts {
        if let cached = cachedSalts(atMs: timestampMs) { return cached }
        let salts = try await catalog.visitorSalts(atMs: timestampMs, graceMs: graceMs)
        current.withLock { $0 = salts }
        return salts
    }
}
