import FootfallCore
import FootfallStore

/// Who is calling and what they may see: a tenant, its allowed sites and the key's scopes.
/// Set on the request context by ``AccessMiddleware`` (bearer key) or read by the dashboard
/// from its cookie through ``Authenticator``; routes ask it, and never filter by tenant themselves:
///
/// ```swift
/// let access = try context.require(.leadsRead)                        // 401 / 403
/// let site = try await access.site(request.uri.queryParameters.get("site"))   // 400 / 404
/// let owner = try await access.site(id: lead.siteID, notFound: "no lead '\(id)'")  // 404
/// ```
public struct Access: Sendable {
    /// The authenticated key (its secret is never kept).
    public let key: APIKey
    let catalog: Catalog

    public var tenantID: Int64 { key.tenantID }

    /// The key as audit and log lines name it: its id and prefix, never its secret.
    var actor: String { "key \(key.prefix)…" }

    /// This access if the key carries `scope`.
    /// - Throws: ``APIError`` 403 naming the missing scope.
    @discardableResult
    public func require(_ scope: Scope) throws -> Access {
        guard key.allows(scope) else { throw APIError.forbidden("this key lacks the '\(scope.rawValue)' scope") }
        return self
    }

    /// The site named by a `site` parameter, if the caller may see it.
    /// - Throws: ``APIError`` 400 when `siteKey` is missing or empty; 404 when no site has this
    ///   key, it belongs to another tenant or the key is restricted to other sites (indistinguishable).
    public func site(_ siteKey: String?) async throws -> Site {
        guard let siteKey, !siteKey.isEmpty else { throw APIError.badParameter("site", "required (a site key such as s_abc…)") }
        guard let site = try await catalog.site(key: siteKey), allows(site) else {
            throw APIError.notFound("no site '\(siteKey)' in this account")
        }
        return site
    }

    /// The site with id `siteID` (e.g. a lead's), if the caller may see it.
    /// - Throws: ``APIError`` 404 with `notFound` as detail otherwise, so another tenant's ids
    ///   look exactly like ids that do not exist.
    public func site(id siteID: Int64, notFound: String) async throws -> Site {
        guard let site = try await catalog.site(id: siteID), allows(site) else { throw APIError.notFound(notFound) }
        return site
    }

    /// The sites the caller may see, oldest first.
    public func sites() async throws -> [Site] {
        try await catalog.sites(tenantID: tenantID).filter(allows)
    }

    /// Whether `site` is the caller's tenant's and within the key's site restriction.
    public func allows(_ site: Site) -> Bool {
        site.tenantID == tenantID && key.allows(siteID: site.id)
    }
}

extension FootfallRequestContext {
    /// The caller's access if its key carries `scope`.
    /// - Throws: ``APIError`` 401 when the request is unauthenticated, 403 when the scope is missing.
    public func require(_ scope: Scope) throws -> Access {
        guard let access else { throw APIError.unauthorized("missing Authorization: Bearer <api key>") }
        return try access.require(scope)
    }
}
