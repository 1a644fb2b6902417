import ArgumentParser

/// A sink's settings as command-line flags, shared by `footfall sink add` and
/// `footfall export` (where they override a configured sink's, or describe an unconfigured one).
struct SinkSettingsOptions: ParsableArguments {
    @Option(help: "API base URL (default: $HUBSPOT_API_BASE / $SALESFORCE_API_BASE (instance URL) / $PIPEDRIVE_API_BASE, else the vendor's).")
    var apiBase: String?
    @Option(help: "Environment variable holding the API token or webhook signing secret.")
    var tokenEnv: String?
    @Option(help: "File holding the API token or webhook secret (mode 0600).")
    var tokenFile: String?
    @Option(help: "Webhook receiver URL.")
    var url: String?
    @Option(help: "csv/ndjson: file to append to (default: standard output).")
    var output: String?
    @Option(help: "HubSpot: requests per rolling window, REQUESTS/SECONDS (default 190/10).")
    var rateLimit: String?
    @Option(help: "Pipedrive: key of the organization custom field holding the domain.")
    var domainField: String?
    @Option(help: "Webhook: leads per POST (default 100).")
    var batchSize: String?
    @Option(help: "Seconds one HTTP attempt may take (default 30).")
    var timeout: String?

    /// The flags given, under the settings' names (see `SinkFactory.settingNames`).
    var settings: [String: String] {
        let pairs: [(String, String?)] = [
            ("api_base", apiBase), ("token_env", tokenEnv), ("token_file", tokenFile), ("url", url),
            ("output", output), ("rate_limit", rateLimit), ("domain_field", domainField),
            ("batch_size", batchSize), ("timeout", timeout),
        ]
        return Dictionary(uniqueKeysWithValues: pairs.compactMap { name, value in value.map { (name, $0) } })
    }
}
