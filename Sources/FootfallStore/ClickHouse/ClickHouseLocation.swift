import Foundation

/// Where a ClickHouse store lives, parsed from `clickhouse://[user[:password]@]host[:port]/database`
/// (the form `footfall serve --store` takes). The port is ClickHouse's HTTP interface
/// (default 8123); the database is created if missing.
public struct ClickHouseLocation: Sendable, Equatable {
    public var host: String
    /// HTTP interface port (ClickHouse's `http_port`), default 8123.
    public var port: Int
    /// Database holding Footfall's tables: letters, digits and `_`, not starting with a digit.
    public var database: String
    public var user: String?
    public var password: String?

    /// - Throws: ``ClickHouseError/invalidLocation(_:)`` naming what is wrong with `url`.
    public init(url: String) throws {
        guard let components = URLComponents(string: url), components.scheme == "clickhouse" else {
            throw ClickHouseError.invalidLocation("expected clickhouse://host:8123/database, got \(Self.redacting(url))")
        }
        guard let host = components.host, !host.isEmpty else {
            throw ClickHouseError.invalidLocation("no host in \(Self.redacting(url))")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard Self.isIdentifier(database) else {
            throw ClickHouseError.invalidLocation("database name must be letters, digits and _ (not starting with a digit), got \"\(database)\"")
        }
        self.host = host
        port = components.port ?? 8123
        self.database = database
        user = components.user
        password = components.password
    }

    /// The HTTP interface's base address, `http://host:port/`.
    var httpBase: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/" }

    /// The location as logs and output may show it: without the password.
    public var redacted: String {
        "clickhouse://\(user.map { "\($0)@" } ?? "")\(host):\(port)/\(database)"
    }

    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// `url` with any password replaced by `***`, for error messages.
    static func redacting(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? "clickhouse://…"
    }
}
