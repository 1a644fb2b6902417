import FootfallCore
import FootfallStore
import Foundation
import Hummingbird

/// `GET /api/v1/accounts` (scope `leads:read`): the tenant's account list (account-based
/// marketing), by domain, `limit` 1–1000 with `next_cursor`. `PUT /api/v1/accounts` (scope
/// `sites:admin`, a key for all sites): replaces the list with a `text/csv` body in the format
/// of `footfall accounts import` (``AccountList``), validated whole — a bad file answers 400
/// naming its line and changes nothing — then re-scores the tenant's leads.
struct AccountRoutes: Sendable {
    let store: any LeadReader & LeadAdministrator

    /// Largest account list body: ``AccountList/maxAccounts`` lines of ~160 bytes.
    static let maxBytes = 16 * 1024 * 1024

    func register(on group: RouterGroup<FootfallRequestContext>) {
        group.get("accounts") { request, context in
            let access = try context.require(.leadsRead)
            let query = APIQuery(request)
            let limit = try query.limit()
            let after = query.string("cursor") ?? ""
            let accounts = try await store.accounts(tenantID: access.tenantID).filter { $0.domain > after }
            let page = Array(accounts.prefix(limit))
            return try JSONResponse.make(AccountListResource(
                accounts: page, next_cursor: accounts.count > limit ? page.last?.domain : nil))
        }
        group.put("accounts") { request, context in
            let access = try context.require(.sitesAdmin)
            guard access.key.siteIDs == nil else {
                throw APIError.forbidden("this key is restricted to some sites; the account list belongs to the whole tenant")
            }
            guard request.headers[.contentType]?.lowercased().hasPrefix("text/csv") == true else {
                throw APIError.badBody("expected Content-Type: text/csv (header domain,name,industry,employees,owner,tier)")
            }
            let data = try await APIBody.collect(request, limit: Self.maxBytes)
            let accounts: [Account]
            do {
                accounts = try AccountList.parse(data)
            } catch {
                throw APIError.badBody("\(error); nothing imported")
            }
            let rescored = try await store.replaceAccounts(tenantID: access.tenantID, with: accounts)
            return try JSONResponse.make(AccountImportResource(imported: accounts.count, rescored: rescored))
        }
    }
}

/// One page of the account list (`employees` is 0 when the list gave none, as in a lead's
/// `account`).
struct AccountListResource: Encodable {
    let accounts: [Account]
    @Nullable var next_cursor: String?
}

/// What `PUT /api/v1/accounts` did: accounts now in the list, leads whose score changed.
struct AccountImportResource: Encodable {
    let imported: Int
    let rescored: Int
}
