import FootfallCore
import FootfallEnrich
import FootfallExport
import FootfallStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Builds and runs the Footfall server: ingest, tracker, Lead API, health and metrics,
/// with the group-commit writer, audit and usage flushers as services that drain on shutdown.
public enum FootfallServerApp {
    /// Runs until SIGTERM/SIGINT, then stops accepting connections, lets in-flight beacons
    /// commit and returns.
    /// - Parameters:
    ///   - configuration: where to listen and keep data.
    ///   - demoSiteKey: when set, demo pages carrying this site's tag are served at `/demo/`.
    ///   - logger: the server logger.
    ///   - onReady: called with the bound port once the server listens.
    public static func run(
        configuration: ServerConfiguration, demoSiteKey: String? = nil, logger: Logger,
        onReady: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try configuration.data.create()
        let catalog = try Catalog(path: configuration.data.catalogPath)
        let store = try await configuration.store.open(
            configuration.data, sessionizer: configuration.sessionizer, durability: configuration.durability, logger: logger)
        let metrics = FootfallMetrics()
        let writer = GroupCommitWriter(
            store: store, capacity: configuration.ingestQueueCapacity,
            observer: { events, inserted, seconds in metrics.committed(events: events, inserted: inserted, seconds: seconds) })

        let router = Router(context: FootfallRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        let sites = SiteDirectory(catalog: catalog)
        let intelligence = try IPDataReloader.intelligence(for: configuration, logger: logger)
        let botTally = BotTally()
        let usage = try await UsageMeter.load(from: catalog)
        let pipeline = IngestPipeline(
            sites: sites, salts: SaltCache(catalog: catalog, graceMs: configuration.sessionizer.inactivityMs), intelligence: intelligence, botTally: botTally, usage: usage,
            places: try PlaceData.load(dataDirectory: configuration.dataDirectory),
            metrics: metrics)
        let ingest = BeaconIngest(
            pipeline: pipeline, writer: writer, metrics: metrics, proxies: configuration.trustedProxies,
            limits: FloodLimits(
                ip: .init(perSecond: configuration.ipRate.perSecond, burst: configuration.ipRate.burst),
                site: .init(perSecond: configuration.siteRate.perSecond, burst: configuration.siteRate.burst)),
            logger: logger)
        IngestRoutes().register(on: router)
        TrackerRoutes(sites: sites).register(on: router)
        HealthRoutes(metrics: metrics, writer: writer).register(on: router)
        if let demoSiteKey { DemoPages(siteKey: demoSiteKey).register(on: router) }
        let authenticator = Authenticator(catalog: catalog)
        let audit = AuditTrail()
        OpenAPIRoutes().register(on: router)
        let api = router.group("api/v1").add(middleware: AccessMiddleware(
            authenticator: authenticator, limiter: RateLimiter(perMinute: configuration.apiRateLimitPerMinute),
            usage: usage, audit: audit))
        VisitRoutes(store: store).register(on: api)
        LeadRoutes(store: store).register(on: api)
        StatsRoutes(store: store).register(on: api)
        EventRoutes(store: store).register(on: api)
        FilteredRoutes(catalog: catalog).register(on: api)
        SiteRoutes(catalog: catalog).register(on: api)
        AccountRoutes(store: store).register(on: api)
        KeyRoutes(catalog: catalog).register(on: api)
        AuditRoutes(catalog: catalog, usage: usage).register(on: api)
        PrivacyRoutes(lifecycle: DataLifecycle(catalog: catalog, store: store)).register(on: api)
        UnknownRoutes().register(on: api)
        try await store.registerLeadSites(catalog.sites())
        DashboardRoutes(authenticator: authenticator, store: store).register(on: router)

        // Beacons are answered by BeaconChannelHandler inside the HTTP/1 pipeline; everything
        // else reaches the router. Event loops: NIO's shared group, one per core.
        let app = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [BeaconChannelHandler(ingest: ingest)])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Footfall"),
            services: [
                WriterService(writer: writer), VisitJanitor(store: store, metrics: metrics),
                IPDataReloader(intelligence: intelligence, interval: configuration.ipDataPollInterval, logger: logger),
                BotCountFlusher(tally: botTally, catalog: catalog), AuditFlusher(trail: audit, catalog: catalog),
                UsageFlusher(meter: usage, catalog: catalog),
                RetentionService(lifecycle: DataLifecycle(catalog: catalog, store: store)),
                LeadMaintenanceService(store: store),
                LeadRescoreService(store: store, catalog: catalog, clock: { Timestamp.nowMs() }),
                AlertService(
                    follower: AlertFeedFollower(feed: store, catalog: catalog),
                    dispatcher: AlertDispatcher(catalog: catalog, environment: ProcessInfo.processInfo.environment),
                    catalog: catalog),
            ],
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Runs the group-commit writer; on shutdown (after the HTTP server stopped) it commits
/// everything still queued before returning.
struct WriterService: Service {
    let writer: GroupCommitWriter

    func run() async throws {
        await withGracefulShutdownHandler {
            await writer.run()
        } onGracefulShutdown: {
            writer.finish()
        }
    }
}

/// Periodically closes idle visits so the live sessionizer's memory stays bounded, and
/// compacts final visits and old events into columnar segments: every minute once enough
/// rows gathered for a well-compressed segment, and at least hourly whatever the size.
struct VisitJanitor: Service {
    let store: any EventStore & StoreMaintenance
    let metrics: FootfallMetrics
    var logger = Logger(label: "footfall.compactor")

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var minutes = 0
            while true {
                try await Task.sleep(for: .seconds(60))
                minutes += 1
                let now = Timestamp.nowMs()
                let live = store.closeIdleVisits(now: now)
                metrics.openVisits.set(Double(live.openVisits))
                metrics.heldEvents.set(Double(live.heldEvents))
                metrics.releasedVisits.increment(by: Int64(live.releasedVisits))
                do {
                    let result = try await store.compact(now: now, minimumRows: minutes % 60 == 0 ? 0 : 10_000)
                    if result.segments > 0 {
                        logger.info("compacted \(result.visits) visits, \(result.events) events into \(result.segments) segments")
                    }
                } catch {
                    logger.error("compaction failed (hot rows kept, retried next run): \(error)")
                }
            }
        }
    }
}
