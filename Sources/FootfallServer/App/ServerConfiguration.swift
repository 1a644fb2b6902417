import FootfallCore
import FootfallEnrich
import FootfallStore

/// Everything `footfall serve` can be told.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Directory holding `catalog.sqlite` and `events.sqlite`.
    public var dataDirectory: String
    /// Where events, visits and leads are kept (`--store`).
    public var store: StoreLocation
    public var sessionizer: Sessionizer.Configuration
    /// Events allowed to wait for a commit before ingest answers 503.
    public var ingestQueueCapacity: Int
    /// Proxies whose forwarding headers are believed (`--trusted-proxy`).
    public var trustedProxies: TrustedProxies
    /// Look up PTR names of visitor addresses in the background (`--reverse-dns`).
    public var reverseDNS: Bool
    /// How often the server checks `ipdata/generation` for newly imported IP data.
    public var ipDataPollInterval: Duration
    /// What an acknowledged event survives (`--durability full|normal`).
    public var durability: Durability
    /// Beacon requests per second (and burst) one client address may send (`--ip-rate`); 0 = no limit.
    public var ipRate: (perSecond: Double, burst: Double)
    /// Beacon requests per second (and burst) one site may receive (`--site-rate`); 0 = no limit.
    public var siteRate: (perSecond: Double, burst: Double)
    /// Requests per minute each API key may make (token bucket; `--api-rate-limit`).
    public var apiRateLimitPerMinute: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./footfall-data", store: StoreLocation = .embedded,
        sessionizer: Sessionizer.Configuration = .init(), ingestQueueCapacity: Int = 20_000,
        trustedProxies: TrustedProxies = TrustedProxies(), reverseDNS: Bool = false, ipDataPollInterval: Duration = .seconds(1),
        durability: Durability = .full, ipRate: (perSecond: Double, burst: Double) = (100, 1_000),
        siteRate: (perSecond: Double, burst: Double) = (0, 0), apiRateLimitPerMinute: Int = 600
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.store = store
        self.sessionizer = sessionizer
        self.ingestQueueCapacity = ingestQueueCapacity
        self.trustedProxies = trustedProxies
        self.reverseDNS = reverseDNS
        self.ipDataPollInterval = ipDataPollInterval
        self.durability = durability
        self.ipRate = ipRate
        self.siteRate = siteRate
        self.apiRateLimitPerMinute = apiRateLimitPerMinute
    }

    /// The files of ``dataDirectory``.
    public var data: DataDirectory { DataDirectory(dataDirectory) }
    /// Imported IP data (`footfall import-ip-data`) inside ``dataDirectory``.
    public var ipData: IPDataDirectory { IPDataDirectory(dataDirectory: dataDirectory) }
}
