import FootfallCore
import FootfallStore

/// First-start setup for `footfall serve --demo`: a default tenant, a demo site and an
/// all-scopes API key. Later starts reuse the site; the key's secret exists only in the
/// first start's output.
public enum DemoSetup {
    public static let siteName = "Demo site"

    /// The demo site's key pages: `/demo/pricing*` 15 points, as `/pricing*` by default.
    public static let keyPages = LeadSettings.keyPages(from: "/demo/pricing*:15")!

    /// What the demo needs to print.
    public struct Result: Sendable {
        public var site: Site
        /// The new key's secret on first start; nil when the demo already existed.
        public var newAPIKey: String?
    }

    /// Ensures the demo tenant, site and key exist.
    public static func ensure(in catalog: Catalog) async throws -> Result {
        let tenant = try await catalog.tenant(named: "default")
        if let site = try await catalog.sites(tenantID: tenant.id).first(where: { $0.name == siteName }) {
            return Result(site: site, newAPIKey: nil)
        }
        var site = try await catalog.createSite(tenantID: tenant.id, name: siteName, domains: ["localhost", "127.0.0.1"])
        // The demo pages are served from this machine, which the tracker ignores by default.
        site.tracker.allowLocalhost = true
        // The demo website lives under /demo/, which the default `/demo*` key page would match
        // everywhere: its own pricing page is the key page, as `/pricing*` is on a real site.
        site.leads.keyPages = Self.keyPages
        try await catalog.updateSettings(of: site)
        let (secret, key) = try await catalog.createAPIKey(tenantID: tenant.id, name: "demo", scopes: Scope.allCases)
        try await catalog.audit(tenantID: tenant.id, actor: "serve --demo", action: "site.create", detail: "site \(site.key)")
        try await catalog.audit(tenantID: tenant.id, actor: "serve --demo", action: "key.create", detail: "key \(key.prefix)…")
        return Result(site: site, newAPIKey: secret)
    }
}
