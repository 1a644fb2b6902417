import Foundation

/// Footfall's time unit: milliseconds since the Unix epoch, UTC.
public enum Timestamp {
    /// Milliseconds in one (UTC) day.
    public static let dayMs: Int64 = 86_400_000

    /// The current time in milliseconds since the epoch.
    public static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// ISO 8601 text (UTC, millisecond precision) of a millisecond timestamp.
    public static func iso8601(_ ms: Int64) -> String {
        Date(timeIntervalSince1970: Double(ms) / 1000).formatted(.iso8601.year().month().day()
            .timeZone(separator: .omitted).time(includingFractionalSeconds: true).timeSeparator(.colon)
            .dateSeparator(.dash))
    }

    /// Parses a query-parameter time: milliseconds since the epoch, `YYYY-MM-DD` or full ISO 8601.
    public static func parse(_ text: String) -> Int64? {
        if let ms = Int64(text) { return ms }
        if let date = try? Date(text, strategy: .iso8601) { return Int64(date.timeIntervalSince1970 * 1000) }
        // As ``iso8601(_:)`` writes it, so API times can be passed back as parameters.
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) {
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day()) {
            return Int64(date.timeIntervalSince1970 * 1000)
        }
        return nil
    }
}

extension Timestamp {
    /// Milliseconds in a UTC day (day numbers are `ms / msPerDay`).
    public static let msPerDay: Int64 = 86_400_000
}
