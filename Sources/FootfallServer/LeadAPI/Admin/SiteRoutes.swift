import FootfallCore
import FootfallStore
import Hummingbird

/// `GET/POST /api/v1/sites`, `GET/PATCH /api/v1/sites/{key}`: the caller's sites and their
/// live settings (scope `sites:admin`). Settings are the ones `footfall site config` changes,
/// validated by ``SiteConfigKey``; a PATCH applies all or none.
struct SiteRoutes: Sendable {
    let catalog: Catalog

    struct NewSite: ClosedRequestBody {
        let name: String
        let domains: [String]?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, domains
        }
    }

    func register(on group: RouterGroup<FootfallRequestContext>) {
        group.get("sites") { request, context in
            let access = try context.require(.sitesAdmin)
            let query = APIQuery(request)
            let limit = try query.limit()
            let after = try query.idCursor() ?? 0
            let sites = try await access.sites().filter { $0.id > after }
            let page = Array(sites.prefix(limit))
            return try JSONResponse.make(SiteListResource(
                sites: page.map(SiteResource.init), next_cursor: sites.count > limit ? page.last.map { String($0.id) } : nil))
        }
        group.post("sites") { request, context in
            let access = try context.require(.sitesAdmin)
            guard access.key.siteIDs == nil else {
                throw APIError.forbidden("this key is restricted to some sites and cannot create sites")
            }
            let body = try await APIBody.decode(NewSite.self, from: request)
            do {
                let site = try await catalog.createSite(tenantID: access.tenantID, name: body.name, domains: body.domains ?? [])
                return try JSONResponse.make(SiteResource(site), status: .created)
            } catch let error as CatalogError {
                throw APIError(error)
            }
        }
        group.get("sites/{key}") { _, context in
            let site = try await context.require(.sitesAdmin).site(context.parameters.get("key"))
            return try JSONResponse.make(SiteResource(site))
        }
        group.patch("sites/{key}") { request, context in
            let site = try await context.require(.sitesAdmin).site(context.parameters.get("key"))
            let settings = try await APIBody.decode([String: SettingValue].self, from: request)
            let updated: Site
            do {
                updated = try SiteConfigKey.apply(settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.text)" }, to: site)
            } catch let error as SiteConfigError {
                throw APIError(error)
            }
            try await catalog.updateSettings(of: updated)
            return try JSONResponse.make(SiteResource(updated))
        }
    }
}

/// A setting's value in a PATCH body: JSON string, number or boolean, applied as its text.
struct SettingValue: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            text = String(value)
        } else if let value = try? container.decode(Bool.self) {
            text = String(value)
        } else {
            text = try container.decode(String.self)
        }
    }
}

/// A site as the API shows it: key, name, domains and every live setting in its text form.
struct SiteResource: Encodable {
    let key: String
    let name: String
    let domains: [String]
    let settings: [String: String]

    init(_ site: Site) {
        key = site.key
        name = site.name
        domains = site.domains
        settings = Dictionary(uniqueKeysWithValues: SiteConfigKey.allCases.map { ($0.rawValue, $0.value(in: site)) })
    }
}

struct SiteListResource: Encodable {
    let sites: [SiteResource]
    @Nullable var next_cursor: String?
}
