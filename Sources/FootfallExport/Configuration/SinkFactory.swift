import FootfallStore
import Foundation

/// Builds the sink a configured ``ExportSink`` describes, reading its secret at run time.
public enum SinkFactory {
    /// Settings every kind understands, with the CLI flag that sets each.
    public static let settingNames = [
        "api_base", "token_env", "token_file", "url", "output", "rate_limit", "domain_field", "batch_size", "timeout",
    ]

    /// - Parameters:
    ///   - sink: the configuration (`footfall sink add`, or flags of an unconfigured run).
    ///   - environment: the process environment (secrets, `*_API_BASE`).
    ///   - standardOutput: where `csv`/`ndjson` write without `output` (or with `-`).
    /// - Throws: ``ExportConfigurationError`` for anything missing or malformed.
    public static func make(
        _ sink: ExportSink, environment: [String: String], standardOutput: @escaping (Data) throws -> Void
    ) throws -> any LeadSink {
        guard let kind = SinkKind(rawValue: sink.kind) else { throw ExportConfigurationError.unknownKind(sink.kind) }
        let settings = sink.settings
        switch kind {
        case .csv, .ndjson:
            let output = try fileOutput(settings["output"], standardOutput: standardOutput)
            return kind == .csv
                ? CSVLeadSink(write: output.write, headerWritten: output.hasContent)
                : NDJSONLeadSink(write: output.write)
        case .webhook:
            guard let url = settings["url"] else { throw ExportConfigurationError.missingSetting(kind: sink.kind, setting: "url") }
            try checkURL(url, setting: "url")
            let secret = try SinkSecret.read(settings: settings, environment: environment, kind: sink.kind)
            let batchSize = try positiveInt(settings["batch_size"], setting: "batch_size") ?? 100
            return WebhookLeadSink(url: url, secret: secret, client: try client(settings, rateLimit: nil), batchSize: batchSize)
        case .hubspot, .salesforce, .pipedrive:
            let base = try apiBase(kind, settings: settings, environment: environment)
            let token = try SinkSecret.read(settings: settings, environment: environment, kind: sink.kind)
            switch kind {
            case .hubspot:
                let limit = try rateLimit(settings["rate_limit"] ?? "190/10")
                return HubSpotLeadSink(apiBase: base, token: token, client: try client(settings, rateLimit: limit))
            case .salesforce:
                return SalesforceLeadSink(instanceURL: base, token: token, client: try client(settings, rateLimit: nil))
            default:
                guard let field = settings["domain_field"] else {
                    throw ExportConfigurationError.missingSetting(kind: sink.kind, setting: "domain_field")
                }
                return PipedriveLeadSink(apiBase: base, token: token, domainField: field, client: try client(settings, rateLimit: nil))
            }
        }
    }

    /// Checks a configuration as `footfall sink add` stores it, without reading secrets or
    /// opening files: the kind, the settings it requires, and every URL, rate limit, batch
    /// size and timeout given — so a typo fails when the sink is added, not at the first export.
    /// - Throws: ``ExportConfigurationError`` for the first problem.
    public static func validate(_ sink: ExportSink) throws {
        guard let kind = SinkKind(rawValue: sink.kind) else { throw ExportConfigurationError.unknownKind(sink.kind) }
        let settings = sink.settings
        var required = kind.needsSecret && settings["token_file"] == nil ? ["token_env"] : []
        if kind == .webhook { required.append("url") }
        if kind == .pipedrive { required.append("domain_field") }
        if let missing = required.first(where: { settings[$0] == nil }) {
            throw ExportConfigurationError.missingSetting(kind: sink.kind, setting: missing)
        }
        for setting in ["url", "api_base"] {
            if let value = settings[setting] { try checkURL(value, setting: setting) }
        }
        if let text = settings["rate_limit"] { _ = try rateLimit(text) }
        _ = try positiveInt(settings["batch_size"], setting: "batch_size")
        _ = try client(settings, rateLimit: nil)
    }

    /// The API base: the sink's `api_base`, else the kind's environment variable, else the vendor's.
    static func apiBase(_ kind: SinkKind, settings: [String: String], environment: [String: String]) throws -> String {
        let base = settings["api_base"] ?? kind.apiBaseVariable.flatMap { environment[$0] } ?? kind.defaultAPIBase
        guard var base, !base.isEmpty else {
            throw ExportConfigurationError.missingSetting(kind: kind.rawValue, setting: "api_base")
        }
        try checkURL(base, setting: "api_base")
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    static func client(_ settings: [String: String], rateLimit: RollingRateLimiter?) throws -> ExportHTTPClient {
        let timeout = try settings["timeout"].map { text -> Double in
            guard let seconds = Double(text), seconds > 0 else {
                throw ExportConfigurationError.invalidSetting(setting: "timeout", value: text, expected: "seconds > 0")
            }
            return seconds
        } ?? 30
        return ExportHTTPClient(rateLimiter: rateLimit, timeout: timeout)
    }

    /// `190/10` → 190 requests per rolling 10 seconds.
    static func rateLimit(_ text: String) throws -> RollingRateLimiter {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let count = Int(parts[0]), count > 0, let seconds = Double(parts[1]), seconds > 0 else {
            throw ExportConfigurationError.invalidSetting(setting: "rate_limit", value: text, expected: "REQUESTS/SECONDS, e.g. 190/10")
        }
        return RollingRateLimiter(limit: count, window: .milliseconds(Int64(seconds * 1_000)))
    }

    static func positiveInt(_ text: String?, setting: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value > 0 else {
            throw ExportConfigurationError.invalidSetting(setting: setting, value: text, expected: "a positive integer")
        }
        return value
    }

    /// - Throws: ``ExportConfigurationError/invalidSetting(setting:value:expected:)`` unless `text` is an http(s) URL with a host.
    public static func checkURL(_ text: String, setting: String) throws {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw ExportConfigurationError.invalidSetting(setting: setting, value: text, expected: "an http(s) URL")
        }
    }

    /// Appends to `path` (created if missing), or writes to standard output for nil or `-`.
    static func fileOutput(_ path: String?, standardOutput: @escaping (Data) throws -> Void)
        throws -> (write: (Data) throws -> Void, hasContent: Bool)
    {
        guard let path, path != "-" else { return (standardOutput, false) }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ExportConfigurationError.invalidSetting(setting: "output", value: path, expected: "a writable file path")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ExportConfigurationError.invalidSetting(setting: "output", value: path, expected: "a writable file path")
        }
        let end = try handle.seekToEnd()
        return ({ data in
            try handle.write(contentsOf: data)
            try handle.synchronize()
        }, end > 0)
    }
}
