/// What the ClickHouse backend throws.
public enum ClickHouseError: Error, Equatable, CustomStringConvertible {
    /// The `clickhouse://` address is malformed; the text says which part.
    case invalidLocation(String)
    /// ClickHouse answered with an error: the HTTP status and ClickHouse's message
    /// (`Code: N, e.displayText() = …`), truncated to 500 characters.
    case server(status: Int, message: String)
    /// No answer: connection refused, reset or timed out.
    case unreachable(String)
    /// An answer Footfall cannot read (a row not in the expected shape).
    case unreadable(String)

    public var description: String {
        switch self {
        case .invalidLocation(let reason): "invalid ClickHouse location: \(reason)"
        case .server(let status, let message): "ClickHouse answered \(status): \(message)"
        case .unreachable(let reason): "ClickHouse unreachable: \(reason)"
        case .unreadable(let reason): "unreadable ClickHouse answer: \(reason)"
        }
    }
}
