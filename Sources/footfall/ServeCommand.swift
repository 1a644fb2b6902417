import ArgumentParser
import FootfallCore
import FootfallEnrich
import FootfallServer
import FootfallStore
import Foundation
import Logging

/// `footfall serve`: runs the ingest server, tracker, Lead API and metrics.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the Footfall server.")

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "Port to listen on (default: $PORT or 8080).")
    var port: Int = Int(ProcessInfo.processInfo.environment["PORT"] ?? "") ?? 8080

    @Flag(help: "Create a demo site and API key on first start and serve demo pages at /demo/.")
    var demo = false

    @Option(help: "A reverse proxy (address or CIDR) whose X-Forwarded-For / Forwarded headers name the visitor (repeatable).")
    var trustedProxy: [String] = []

    @Flag(help: "Look up visitors' PTR names in the background to find organisation domains.")
    var reverseDNS = false

    @Option(help: "What an acknowledged beacon survives with the embedded store: full (fsync every commit: process crash and power loss) or normal (WAL synchronous=NORMAL: process crash, not power loss). A ClickHouse store acknowledges once ClickHouse accepted the insert.")
    var durability: Durability = .full

    @Option(help: "Beacon requests per second one client address may send, sustained (burst 10×); 0 for no limit.")
    var ipRate: Double = 100

    @Option(help: "Beacon requests per second one site may receive, sustained (burst 10×); 0 for no limit.")
    var siteRate: Double = 0

    @Option(help: "Most events the embedded store's sessionizer holds in memory to re-derive open visits (about 0.3–0.75 KB each). Past it, the visitors idle longest are released: their visits stay as written, but a beacon arriving later for one of their pages joins no visit.")
    var maxHeldEvents: Int = Sessionizer.Configuration().maxHeldEvents

    @Option(help: "Requests per minute each API key may make (token bucket; 429 + Retry-After beyond).")
    var apiRateLimit: Int = 600

    @Option(help: "Log level (trace, debug, info, notice, warning, error).")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard (1...1_000_000).contains(apiRateLimit) else { throw ValidationError("--api-rate-limit must be from 1 to 1000000") }
        guard maxHeldEvents >= 1_000 else { throw ValidationError("--max-held-events must be at least 1000") }
    }

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "footfall")
        let proxies: TrustedProxies
        do {
            proxies = try TrustedProxies(parsing: trustedProxy)
        } catch {
            throw ValidationError(error.description)
        }
        let store = try dataOptions.storeLocation()
        let configuration = ServerConfiguration(
            host: host, port: port, dataDirectory: dataOptions.data, store: store,
            sessionizer: Sessionizer.Configuration(maxHeldEvents: maxHeldEvents), trustedProxies: proxies,
            reverseDNS: reverseDNS, durability: durability, ipRate: (ipRate, ipRate * 10), siteRate: (siteRate, siteRate * 10),
            apiRateLimitPerMinute: apiRateLimit)
        // ClickHouse ingest nodes keep no open visits, so several may share a data directory.
        var lock: FileLock?
        if store.needsSingleWriter {
            do {
                lock = try dataOptions.directory.lockWriter(holder: "footfall serve on port \(port)")
            } catch let busy as DataDirectoryBusy {
                throw ValidationError("\(busy.description): one server per data directory (use another --data, or a ClickHouse --store)")
            }
        }
        let demoSetup = demo ? try await DemoSetup.ensure(in: dataOptions.openCatalog()) : nil
        if let demoSetup {
            if let fixtures = DemoIPData.locateFixtures() {
                for path in try DemoIPData.installIfEmpty(into: configuration.ipData, tenantID: demoSetup.site.tenantID, fixtures: fixtures) {
                    logger.info("demo IP data installed", metadata: ["path": "\(path)"])
                }
            } else if configuration.ipData.generation().isEmpty {
                logger.warning("""
                    demo IP data not found (\(DemoIPData.fixtureDirectory) under the working directory or the checkout \
                    of this binary): demo visits will not name organisations; run from the repository root
                    """)
            }
        }
        let dataDirectory = dataOptions.data
        let host = host
        try await FootfallServerApp.run(configuration: configuration, demoSiteKey: demoSetup?.site.key, logger: logger) { port in
            let banner = Self.banner(base: "http://\(host):\(port)", dataDirectory: dataDirectory, store: store, demo: demoSetup)
            FileHandle.standardOutput.write(Data(banner.utf8))
        }
        withExtendedLifetime(lock) {}
    }

    /// What a new user needs after start: the tag, the demo pages, the key and a first API call.
    static func banner(base: String, dataDirectory: String, store: StoreLocation, demo: DemoSetup.Result?) -> String {
        var lines = ["Footfall listening on \(base)  (data: \(dataDirectory)" + (store == .embedded ? ")" : ", store: \(store))")]
        if let demo {
            let siteKey = demo.site.key
            lines += [
                "",
                "Paste this tag into your pages:",
                "  <script defer src=\"\(base)/t.js\" data-site=\"\(siteKey)\"></script>",
                "",
                "Demo website carrying the tag: \(base)/demo/",
                "",
            ]
            if let key = demo.newAPIKey {
                lines += ["API key (shown once, store it now): \(key)"]
            } else {
                lines += ["API key: printed on first start; make another with `footfall key create --scopes leads:read,stats:read`"]
            }
            let key = demo.newAPIKey ?? "$FOOTFALL_KEY"
            lines += [
                "Leads (organisations that visited, scored 0–100; browse /demo/ first):",
                "  curl -H \"Authorization: Bearer \(key)\" \"\(base)/api/v1/leads?site=\(siteKey)\"",
                "Visits:",
                "  curl -H \"Authorization: Bearer \(key)\" \"\(base)/api/v1/visits?site=\(siteKey)\"",
            ]
        }
        lines += [
            "", "Dashboard: \(base)/dashboard  (sign in with an API key that has stats:read)",
            "Health: \(base)/healthz   Metrics: \(base)/metrics", "",
        ]
        return lines.joined(separator: "\n")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension Durability: ExpressibleByArgument {}
