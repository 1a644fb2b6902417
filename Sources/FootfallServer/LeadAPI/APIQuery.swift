import FootfallCore
import Hummingbird

/// Reads Lead API query parameters, refusing bad ones with a 400 naming the parameter.
struct APIQuery {
    let parameters: Parameters

    init(_ request: Request) {
        parameters = request.uri.queryParameters
    }

    /// Largest `limit` any list takes.
    static let maxLimit = 1000
    /// Latest accepted time: 9999-12-31T23:59:59.999Z in milliseconds since the epoch.
    static let maxTime: Int64 = 253_402_300_799_999

    /// A text parameter, nil when absent.
    func string(_ name: String) -> String? {
        parameters.get(name)
    }

    /// A time given as ISO 8601 (`2026-11-29`, `2026-11-29T10:00:00Z`) or milliseconds since
    /// the epoch, between 1970 and 9999; nil when absent.
    func time(_ name: String) throws -> Int64? {
        guard let text = parameters.get(name) else { return nil }
        guard let value = Timestamp.parse(text), (0...Self.maxTime).contains(value) else {
            throw APIError.badParameter(name, "expected ISO 8601 (e.g. 2026-11-29T10:00:00Z) or epoch milliseconds from 1970 to 9999, got '\(text.prefix(40))'")
        }
        return value
    }

    /// `from` and `to` as a `[from, to)` range in milliseconds; `from` defaults to `defaultFrom`, `to` to no end.
    func timeRange(defaultFrom: Int64 = 0) throws -> (from: Int64, to: Int64) {
        let from = try time("from") ?? defaultFrom
        let to = try time("to") ?? Self.maxTime
        guard from <= to else { throw APIError.badParameter("to", "must not be before 'from'") }
        return (from, to)
    }

    /// `limit`, 1–1000, `defaultValue` when absent.
    func limit(default defaultValue: Int = 100) throws -> Int {
        guard let text = parameters.get("limit") else { return defaultValue }
        guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
            throw APIError.badParameter("limit", "expected an integer from 1 to \(Self.maxLimit), got '\(text.prefix(40))'")
        }
        return value
    }

    /// A value from a fixed set, `defaultValue` when absent.
    func choice<Value: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: Value) throws -> Value
    where Value.RawValue == String {
        guard let text = parameters.get(name) else { return defaultValue }
        guard let value = Value(rawValue: text) else {
            throw APIError.badParameter(name, "expected one of \(Value.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text.prefix(40))'")
        }
        return value
    }

    /// An integer within `range`, nil when absent.
    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = parameters.get(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let upper = range.upperBound == .max ? "" : " to \(range.upperBound)"
            throw APIError.badParameter(name, "expected an integer from \(range.lowerBound)\(upper), got '\(text.prefix(40))'")
        }
        return value
    }

    /// One of `allowed`, nil when absent.
    func oneOf(_ name: String, _ allowed: [String]) throws -> String? {
        guard let text = parameters.get(name) else { return nil }
        guard allowed.contains(text) else {
            throw APIError.badParameter(name, "expected one of \(allowed.joined(separator: ", ")), got '\(text.prefix(40))'")
        }
        return text
    }

    /// A text that `isValid` accepts, nil when absent; `expected` says what is accepted.
    func text(_ name: String, matching isValid: (String) -> Bool, expected: String) throws -> String? {
        guard let text = parameters.get(name) else { return nil }
        guard isValid(text) else { throw APIError.badParameter(name, "expected \(expected)") }
        return text
    }

    /// A numeric cursor (an id to continue after), nil when absent.
    func idCursor() throws -> Int64? {
        guard let text = parameters.get("cursor") else { return nil }
        guard let value = Int64(text), value >= 0 else { throw APIError.badParameter("cursor", "malformed cursor; pass back a next_cursor") }
        return value
    }
}
