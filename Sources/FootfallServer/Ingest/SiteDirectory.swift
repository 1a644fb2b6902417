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
        /// The catalog read in flight; requests for keys it may bring wait for it rather
        /// than being told the site does not exist.
        var refreshing: Task<[String: Site], any Error>?
    }

    init(catalog: Catalog) {
        self.catalog = catalog
    }

    /// The site with `key` when it is in memory and its settings are fresh; nil when
    /// ``site(key:)`` has to read the catalog first.
    func cachedSite(key: String) -> Site? {
        state.withLock { state in
            guard state.refreshing == nil, let last = state.lastRefresh, ContinuousClock.now - last <= Self.settingsRefresh
            else { return nil }
            return state.sites[key]
        }
    }

    /// The site with `key`, or nil if it does not exist.
    func site(key: String) async throws -> Site? {
        let catalog = self.catalog
        let (cached, refresh) = state.withLock { state -> (Site?, Task<[String: Site], any Error>?) in
            let cached = state.sites[key]
            if let inFlight = state.refreshing { return (cached, cached == nil ? inFlight : nil) }
            let now = ContinuousClock.now
            let limit = cached == nil ? Self.unknownKeyRefresh : Self.settingsRefresh
            guard state.lastRefresh.map({ now - $0 > limit }) ?? true else { return (cached, nil) }
            state.lastRefresh = now
            let task = Task {
                Dictionary(try await catalog.sites().map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            }
            state.refreshing = task
            return (cached, task)
        }
        guard let refresh else { return cached }
        let result = await refresh.result
        return try state.withLock { state in
            if state.refreshing == refresh { state.refreshing = nil }
            let sites = try result.get()
            state.sites = sites
            return sites[key]
        }
    }
}
