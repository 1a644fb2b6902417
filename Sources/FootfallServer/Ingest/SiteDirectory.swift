import FootfallCore
import FootfallStore
import Synchronization

/// Resolves site keys on the ingest and tracker-config paths from memory.
///
/// Sites created by the CLI while the server runs are picked up on the first request that
/// names them; unknown keys re-read the catalog at most once per second so a flood of
/// bad keys cannot turn into a flood of database reads. Settings changed with
/// `footfall site config` (another process) are re-read every ``settingsRefresh``.
final class SiteDirectory: Sendable {
    /// How stale a known site's settings may get.
    static let settingsRefresh = Duration.seconds(5)
    static let unknownKeyRefresh = Duration.seconds(1)

    let catalog: Catalog
    private let state = Mutex(State())

    struct State {
        var sites: [String: Site] = [:]
        var lastRefresh: ContinuousClock.Instant?
    }

    init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// The site with `key`, or nil if it does not exist.
    func site(key: String) async throws -> Site? {
        let (cached, mustRefresh) = state.withLock { state -> (Site?, Bool) in
            let now = ContinuousClock.now
            let cached = state.sites[key]
            let limit = cached == nil ? Self.unknownKeyRefresh : Self.settingsRefresh
            let due = state.lastRefresh.map { now - $0 > limit } ?? true
            // Claim the refresh so concurrent requests keep using the cache meanwhile.
            if due { state.lastRefresh = now }
            return (cached, due)
        }
        guard mustRefresh else { return cached }
        let sites = try await catalog.sites()
        return state.withLock { state in
            state.sites = Dictionary(sites.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            return state.sites[key]
        }
    }
}
