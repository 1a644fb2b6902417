/// The kinds of export target.
public enum SinkKind: String, Sendable, CaseIterable {
    case hubspot, salesforce, pipedrive, webhook, csv, ndjson

    /// The environment variable that overrides the vendor's API base URL, if any.
    public var apiBaseVariable: String? {
        switch self {
        case .hubspot: "HUBSPOT_API_BASE"
        case .salesforce: "SALESFORCE_API_BASE"
        case .pipedrive: "PIPEDRIVE_API_BASE"
        case .webhook, .csv, .ndjson: nil
        }
    }

    /// The vendor's API base URL; Salesforce has none (each org has its instance URL).
    public var defaultAPIBase: String? {
        switch self {
        case .hubspot: "https://api.hubapi.com"
        case .pipedrive: "https://api.pipedrive.com"
        case .salesforce, .webhook, .csv, .ndjson: nil
        }
    }

    /// Whether the kind needs a secret (token or signing key) at run time.
    public var needsSecret: Bool { self != .csv && self != .ndjson }
}
