import FootfallStore
import Foundation
import Synchronization

/// Today's visitor-hash salt, read from the catalog once per UTC day.
final class SaltCache: Sendable {
    let catalog: Catalog
    private let current = Mutex<(day: Int64, salt: [UInt8])?>(nil)

    init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// The salt for the day containing `timestampMs` if it is in memory.
    func cachedSalt(atMs timestampMs: Int64) -> [UInt8]? {
        current.withLock { cached in cached.flatMap { $0.day == timestampMs / 86_400_000 ? $0.salt : nil } }
    }

    /// The salt for the day containing `timestampMs`.
    func salt(atMs timestampMs: Int64) async throws -> [UInt8] {
        let day = timestampMs / 86_400_000
        if let cached = current.withLock({ $0 }), cached.day == day { return cached.salt }
        let salt = try await catalog.dailySalt(day: day)
        current.withLock { $0 = (day, salt) }
        return salt
    }
}
