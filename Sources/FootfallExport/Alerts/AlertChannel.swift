import FootfallStore
import Foundation

/// Where an alert rule delivers, with its secrets read: a signed webhook or a Slack
/// incoming webhook. Built at delivery time from the rule's settings and the process
/// environment; never stored, printed or logged.
public enum AlertChannel: Sendable {
    /// POSTs the alert JSON to `url`, signed with ``WebhookSignature`` under `secret`.
    case webhook(url: String, secret: String)
    /// POSTs a Slack message (`text` + `blocks`) to the incoming-webhook `url` (a secret).
    case slack(url: String)

    /// The channel kinds a rule may name.
    public static let kinds = ["webhook", "slack"]

    /// Reads the secrets `rule.settings` name (`secret_env`/`secret_file`,
    /// `slack_url_env`/`slack_url_file`) from `environment` or a 0600 file.
    /// - Throws: ``ExportConfigurationError`` when a setting or secret is missing, the file is
    ///   readable by others, or a URL is not http(s).
    public static func resolve(_ rule: AlertRule, environment: [String: String]) throws -> AlertChannel {
        let settings = rule.settings
        switch rule.channel {
        case "webhook":
            guard let url = settings["url"] else {
                throw ExportConfigurationError.invalidSetting(setting: "alert \(rule.name)", value: "webhook", expected: "a url setting")
            }
            try SinkFactory.checkURL(url, setting: "webhook")
            guard let secret = try SinkSecret.read(
                variable: settings["secret_env"], file: settings["secret_file"], environment: environment)
            else {
                throw ExportConfigurationError.invalidSetting(
                    setting: "alert \(rule.name)", value: "webhook", expected: "a secret_env or secret_file setting")
            }
            return .webhook(url: url, secret: secret)
        case "slack":
            guard let url = try SinkSecret.read(
                variable: settings["slack_url_env"], file: settings["slack_url_file"], environment: environment)
            else {
                throw ExportConfigurationError.invalidSetting(
                    setting: "alert \(rule.name)", value: "slack", expected: "a slack_url_env or slack_url_file setting")
            }
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                // The URL is a secret: name its source, not its value.
                throw ExportConfigurationError.invalidSetting(
                    setting: "slack url", value: settings["slack_url_env"] ?? settings["slack_url_file"] ?? "", expected: "an http(s) URL")
            }
            return .slack(url: url)
        default:
            throw ExportConfigurationError.invalidSetting(setting: "channel", value: rule.channel, expected: "webhook or slack")
        }
    }

    var url: String {
        switch self {
        case .webhook(let url, _), .slack(let url): url
        }
    }

    /// Values that must never reach a log line or the delivery log.
    var secrets: [String] {
        switch self {
        case .webhook(_, let secret): [secret]
        case .slack(let url): [url]
        }
    }

    /// `text` with every secret of the channel replaced by `[secret]`.
    func scrubbed(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "[secret]") }
    }
}
