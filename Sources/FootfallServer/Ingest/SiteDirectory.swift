import FootfallCore
import FootfallStore
import Synchronization

/// Resolves site keys on the ingest path from memory.
///
/// Sites created by the CLI while the server runs are picked up on the first beacon that
/// names them; unknown keys re-read the catalog at most once per second so a flood of
/// bad keys cannot turn into a flood of database reads.
final class SiteDirectory: Sendable {
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
        let (cached, mayRefresh) = state.withLock { state -> (Site?, Bool) in
            let now = ContinuousClock.now
            let stale = state.lastRefresh.map { now - $0 > .seconds(1) } ?? true
            return (state.sites[key], stale)
        }
        if let cached { return cached }
        guard mayRefresh else { return nil }
        let sites = try await catalog.sites()
        return state.withLock { state in
            state.sites = Dictionary(sites.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
            state.lastRefresh = .now
            return state.sites[key]
        }
    }
}
