import ArgumentParser
import FootfallCore
import FootfallExport
import FootfallStore
import Foundation

/// `footfall alert`: a tenant's lead alerts, delivered by the running server.
struct AlertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert", abstract: "Configure lead alerts (signed webhook or Slack) and read their delivery log.",
        subcommands: [Add.self, List.self, Remove.self, Test.self, Log.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add or replace an alert rule. Secrets are never stored: name the variable or 0600 file that holds them.",
            discussion: """
                One trigger (--score-above, --key-page, --any-key-page, --target-account-returns) and one channel \
                (--webhook URL with --secret-env/--secret-file, or --slack-url-env/--slack-url-file). The server \
                reads the secret from its own environment or the file at every delivery.
                """)

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "The site's key (s_…).") var site: String
        @Option(help: "The rule's name: 1–64 of a-z, 0-9, _ and -.") var name: String
        @Option(help: "Fire when the score rises above this (0–99), once per upward crossing.") var scoreAbove: Int?
        @Option(help: "Fire when this key-page pattern of the site (e.g. /pricing*) is viewed.") var keyPage: String?
        @Flag(help: "Fire when any key page of the site is viewed.") var anyKeyPage = false
        @Flag(help: "Fire on every new visit from an organisation in the account list.") var targetAccountReturns = false
        @Option(help: "Webhook receiver URL (signed with Footfall-Signature).") var webhook: String?
        @Option(help: "Environment variable holding the webhook signing secret.") var secretEnv: String?
        @Option(help: "File holding the webhook signing secret (mode 0600).") var secretFile: String?
        @Option(help: "Environment variable holding the Slack incoming-webhook URL.") var slackUrlEnv: String?
        @Option(help: "File holding the Slack incoming-webhook URL (mode 0600).") var slackUrlFile: String?
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let catalog = try dataOptions.openExistingCatalog()
            let owner = try await catalog.knownTenant(tenant)
            let rule = try await ExportCLI.exitingOnConfigurationError {
                guard let target = try await catalog.sites(tenantID: owner.id).first(where: { $0.key == site }) else {
                    throw ExportConfigurationError.invalidSetting(setting: "--site", value: site, expected: "a site key of this tenant")
                }
                let (kind, settings) = try channel()
                let rule = AlertRule(
                    tenantID: owner.id, name: name, siteID: target.id, trigger: try trigger(site: target),
                    channel: kind, settings: settings)
                try await catalog.saveAlertRule(rule)
                return rule
            }
            try await catalog.audit(
                tenantID: owner.id, actor: "cli", action: "alert.add", detail: "alert \(rule.name) (\(rule.trigger.summary), \(rule.channel))")
            print(rule.name)
        }

        func trigger(site: Site) throws -> AlertTrigger {
            let given = [scoreAbove != nil, keyPage != nil, anyKeyPage, targetAccountReturns].filter { $0 }.count
            guard given == 1 else {
                throw ExportConfigurationError.invalidSetting(
                    setting: "trigger", value: "\(given) given",
                    expected: "exactly one of --score-above, --key-page, --any-key-page, --target-account-returns")
            }
            if let scoreAbove {
                guard AlertTrigger.thresholds.contains(scoreAbove) else {
                    throw ExportConfigurationError.invalidSetting(setting: "--score-above", value: "\(scoreAbove)", expected: "0–99")
                }
                return .scoreAbove(scoreAbove)
            }
            if let keyPage {
                let configured = site.leads.keyPages.map(\.pattern.text)
                guard configured.contains(keyPage) else {
                    throw ExportConfigurationError.invalidSetting(
                        setting: "--key-page", value: keyPage,
                        expected: "one of the site's key pages (\(configured.joined(separator: ", ")))")
                }
                return .keyPage(keyPage)
            }
            return anyKeyPage ? .keyPage(nil) : .targetAccountReturns
        }

        func channel() throws -> (kind: String, settings: [String: String]) {
            let slack = slackUrlEnv != nil || slackUrlFile != nil
            guard (webhook != nil) != slack else {
                throw ExportConfigurationError.invalidSetting(
                    setting: "channel", value: webhook == nil ? "none" : "both",
                    expected: "either --webhook URL or --slack-url-env/--slack-url-file")
            }
            if let webhook {
                try SinkFactory.checkURL(webhook, setting: "--webhook")
                guard (secretEnv == nil) != (secretFile == nil) else {
                    throw ExportConfigurationError.invalidSetting(
                        setting: "--webhook", value: webhook, expected: "one of --secret-env VAR, --secret-file FILE for its signing secret")
                }
                // A file can be checked now (present, 0600, not empty); a variable only where the server runs.
                _ = try SinkSecret.read(variable: nil, file: secretFile, environment: [:])
                var settings = ["url": webhook]
                settings["secret_env"] = secretEnv
                settings["secret_file"] = secretFile
                return ("webhook", settings)
            }
            guard (slackUrlEnv == nil) != (slackUrlFile == nil) else {
                throw ExportConfigurationError.invalidSetting(
                    setting: "slack", value: "both", expected: "one of --slack-url-env, --slack-url-file")
            }
            _ = try SinkSecret.read(variable: nil, file: slackUrlFile, environment: [:])
            var settings: [String: String] = [:]
            settings["slack_url_env"] = slackUrlEnv
            settings["slack_url_file"] = slackUrlFile
            return ("slack", settings)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List alert rules: name, site, trigger, channel, settings (secrets' sources only).")

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let catalog = try dataOptions.openExistingCatalog()
            let owner = try await catalog.knownTenant(tenant)
            let sites = Dictionary(uniqueKeysWithValues: try await catalog.sites(tenantID: owner.id).map { ($0.id, $0.key) })
            for rule in try await catalog.alertRules(tenantID: owner.id) {
                let settings = rule.settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                print([rule.name, sites[rule.siteID] ?? "site \(rule.siteID)", rule.trigger.summary, rule.channel, settings]
                    .joined(separator: "\t"))
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an alert rule; its queued deliveries are cancelled, its log kept.")

        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The rule's name.") var name: String
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let catalog = try dataOptions.openExistingCatalog()
            let owner = try await catalog.knownTenant(tenant)
            try await ExportCLI.exitingOnConfigurationError {
                try await catalog.removeAlertRule(tenantID: owner.id, name: name)
            }
            try await catalog.audit(tenantID: owner.id, actor: "cli", action: "alert.remove", detail: "alert \(name)")
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one sample alert through a rule's channel now and print the receiver's answer.",
            discussion: "Reads the secret from this process's environment or file. Exit status 0 when the receiver answered 2xx, 1 otherwise, 2 for a configuration error.")

        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The rule's name.") var name: String
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func run() async throws {
            let catalog = try dataOptions.openExistingCatalog()
            let owner = try await catalog.knownTenant(tenant)
            let environment = ProcessInfo.processInfo.environment
            let rule = try await ExportCLI.exitingOnConfigurationError {
                guard let rule = try await catalog.alertRule(tenantID: owner.id, name: name) else { throw CatalogError.unknownAlert(name) }
                _ = try AlertChannel.resolve(rule, environment: environment)
                return rule
            }
            let dispatcher = AlertDispatcher(catalog: catalog, environment: environment)
            let delivery = AlertSample.delivery(for: rule)
            let outcome = await dispatcher.attempt(delivery, rule: rule)
            let status = outcome.httpStatus.map { "HTTP \($0)" } ?? "no answer"
            if outcome.delivered {
                print("delivered: \(status) (delivery \(delivery.id))")
            } else {
                print("failed: \(status): \(outcome.error) (delivery \(delivery.id))")
                throw ExitCode(1)
            }
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the alert delivery log, newest first.",
            discussion: """
                One line per delivery, tab-separated: created (UTC), rule, lead id, status (pending, delivered, failed, \
                cancelled), attempts, last HTTP status (- when none), delivery id, reason, last error. \
                --json prints one JSON object per line instead.
                """)

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Only this rule's deliveries.") var rule: String?
        @Option(help: "At most this many lines (1–10000).") var limit: Int = 50
        @Flag(help: "One JSON object per line.") var json = false
        @Option(help: "Tenant (account) name.") var tenant: String = "default"

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1–10000") }
        }

        func run() async throws {
            let catalog = try dataOptions.openExistingCatalog()
            let owner = try await catalog.knownTenant(tenant)
            for delivery in try await catalog.alertDeliveries(tenantID: owner.id, rule: rule, limit: limit) {
                if json {
                    var object: [String: Any] = [
                        "id": delivery.id, "rule": delivery.rule, "lead_id": delivery.leadID, "site_id": delivery.siteID,
                        "change_seq": delivery.changeSeq, "reason": delivery.reason, "status": delivery.status.rawValue,
                        "attempts": delivery.attempts, "error": delivery.lastError,
                        "created_at": delivery.createdAt, "updated_at": delivery.updatedAt,
                    ]
                    object["http_status"] = delivery.httpStatus ?? NSNull()
                    object["next_attempt_at"] = delivery.nextAttemptAt ?? NSNull()
                    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                    print(String(decoding: data, as: UTF8.self))
                } else {
                    print([
                        Timestamp.iso8601(delivery.createdAt), delivery.rule, delivery.leadID, delivery.status.rawValue,
                        String(delivery.attempts), delivery.httpStatus.map(String.init) ?? "-", delivery.id, delivery.reason,
                        delivery.lastError,
                    ].joined(separator: "\t"))
                }
            }
        }
    }
}
