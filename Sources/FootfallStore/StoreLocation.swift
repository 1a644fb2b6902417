import FootfallCore
import Logging

/// Where events, visits and leads are kept (`--store`, `$FOOTFALL_STORE`): the embedded
/// SQLite store in the data directory (`sqlite`, the default), or a ClickHouse server
/// (`clickhouse://[user[:password]@]host[:port]/database`) shared by any number of ingest
/// nodes, with the lead tables in the data directory's `leads.sqlite`.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case embedded
    case clickHouse(ClickHouseLocation)

    /// Parses a `--store` value.
    /// - Throws: ``ClickHouseError/invalidLocation(_:)`` for a malformed `clickhouse://`
    ///   address or any other form.
    public init(parsing text: String) throws {
        switch text {
        case "", "sqlite", "embedded": self = .embedded
        case _ where text.hasPrefix("clickhouse://"): self = .clickHouse(try ClickHouseLocation(url: text))
        default:
            throw ClickHouseError.invalidLocation("--store must be sqlite or clickhouse://host:8123/database, got \(ClickHouseLocation.redacting(text))")
        }
    }

    /// Whether the store keeps open visits in a process's memory, so one process at a time
    /// may write to it (the data directory's writer lock); ClickHouse ingest nodes keep none.
    public var needsSingleWriter: Bool { self == .embedded }

    /// The location as logs and banners show it (no password).
    public var description: String {
        switch self {
        case .embedded: "sqlite (embedded)"
        case .clickHouse(let location): location.redacted
        }
    }

    /// Opens (creating or migrating) the store.
    /// - Parameters:
    ///   - data: the data directory (the embedded store's file, or the ClickHouse backend's lead file).
    ///   - durability: what an acknowledged event survives; the embedded store only
    ///     (ClickHouse acknowledges once its insert returned).
    /// - Throws: ``ClickHouseError`` when ClickHouse is unreachable or refuses the schema;
    ///   GRDB's error when a SQLite file cannot be opened.
    public func open(
        _ data: DataDirectory, sessionizer: Sessionizer.Configuration = .init(), durability: Durability = .full,
        logger: Logger = Logger(label: "footfall.store")
    ) async throws -> any StorageBackend {
        try data.create()
        switch self {
        case .embedded:
            return try SQLiteEventStore(path: data.eventsPath, sessionizer: sessionizer, durability: durability, logger: logger)
        case .clickHouse(let location):
            return try await ClickHouseEventStore.open(location, leadsPath: data.leadsPath, sessionizer: sessionizer, logger: logger)
        }
    }
}
