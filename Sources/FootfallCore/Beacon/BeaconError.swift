/// Why a beacon body was rejected. Each case maps to a 400 with ``reason`` as its body
/// and to a drop-reason label in `/metrics`.
public enum BeaconError: Error, Equatable, Sendable {
    case emptyBody
    case malformedJSON
    case notAnObject
    case emptyBatch
    case tooManyEvents(limit: Int)
    case missingField(String)
    case invalidField(String)
    /// A text field holding U+0000, which no field has a use for and storage cannot keep.
    case nulCharacter(String)

    /// One-line human-readable reason.
    public var reason: String {
        switch self {
        case .emptyBody: "empty body"
        case .malformedJSON: "body is not valid JSON"
        case .notAnObject: "body must be a JSON object (one event or {\"batch\":[...]})"
        case .emptyBatch: "batch is empty"
        case .tooManyEvents(let limit): "batch holds more than \(limit) events"
        case .missingField(let name): "missing field '\(name)'"
        case .invalidField(let name): "invalid field '\(name)'"
        case .nulCharacter(let name): "field '\(name)' contains a NUL character (U+0000)"
        }
    }

    /// Stable low-cardinality label for metrics.
    public var metricLabel: String {
        switch self {
        case .emptyBody: "empty_body"
        case .malformedJSON: "malformed_json"
        case .notAnObject: "not_an_object"
        case .emptyBatch: "empty_batch"
        case .tooManyEvents: "too_many_events"
        case .missingField: "missing_field"
        case .invalidField, .nulCharacter: "invalid_field"
        }
    }
}
