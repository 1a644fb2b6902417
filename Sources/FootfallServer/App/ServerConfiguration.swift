import FootfallCore

/// Everything `footfall serve` can be told.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Directory holding `catalog.sqlite` and `events.sqlite`.
    public var dataDirectory: String
    /// Create a demo tenant, site and key on first start and serve demo pages at `/demo/`.
    public var demo: Bool
    public var sessionizer: Sessionizer.Configuration
    /// Events allowed to wait for a commit before ingest answers 503.
    public var ingestQueueCapacity: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./footfall-data",
        demo: Bool = false, sessionizer: Sessionizer.Configuration = .init(), ingestQueueCapacity: Int = 50_000
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.demo = demo
        self.sessionizer = sessionizer
        self.ingestQueueCapacity = ingestQueueCapacity
    }

    /// Path of the catalog database inside ``dataDirectory``.
    public var catalogPath: String { dataDirectory + "/catalog.sqlite" }
    /// Path of the event database inside ``dataDirectory``.
    public var eventsPath: String { dataDirectory + "/events.sqlite" }
}
