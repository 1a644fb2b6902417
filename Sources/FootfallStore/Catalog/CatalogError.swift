/// Errors from catalog (tenant, site, key) operations, worded for the CLI and the API.
public enum CatalogError: Error, Equatable, CustomStringConvertible {
    case unknownScope(String)
    case invalidSiteName
    case invalidDomain(String)
    case unknownTenant(String)
    case unknownSite(String)
    case invalidSinkName(String)
    case unknownSink(String)
    case invalidAlertName(String)
    case unknownAlert(String)

    public var description: String {
        switch self {
        case .unknownScope(let name):
            "unknown scope '\(name)' (known: \(Scope.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidSiteName: "site name must be 1–100 characters"
        case .invalidDomain(let domain): "invalid domain '\(domain)': give a host name such as example.com"
        case .unknownTenant(let name): "unknown tenant '\(name)'"
        case .unknownSite(let key): "unknown site '\(key)'"
        case .invalidSinkName(let name): "invalid sink name '\(name)': use 1–64 of a-z, 0-9, _ and -"
        case .unknownSink(let name): "unknown sink '\(name)'"
        case .invalidAlertName(let name): "invalid alert name '\(name)': use 1–64 of a-z, 0-9, _ and -"
        case .unknownAlert(let name): "no alert named '\(name)' (see `footfall alert list`)"
        }
    }
}
