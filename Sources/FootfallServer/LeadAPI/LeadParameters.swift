import FootfallCore
import Hummingbird

/// Reads and validates Lead API query parameters; a present but malformed value is a 400
/// naming the parameter and what it accepts.
struct LeadParameters {
    let parameters: Hummingbird.Parameters

    init(_ parameters: Hummingbird.Parameters) {
        self.parameters = parameters
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = parameters.get(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let upper = range.upperBound == .max ? "" : " to \(range.upperBound)"
            throw APIError.badParameter(name, "expected an integer from \(range.lowerBound)\(upper)")
        }
        return value
    }

    func time(_ name: String) throws -> Int64? {
        guard let text = parameters.get(name) else { return nil }
        guard let value = Timestamp.parse(text) else { throw APIError.badParameter(name, "expected ISO 8601 or epoch ms") }
        return value
    }

    func choice(_ name: String, _ allowed: [String]) throws -> String? {
        guard let text = parameters.get(name) else { return nil }
        guard allowed.contains(text) else { throw APIError.badParameter(name, "expected one of \(allowed.joined(separator: ", "))") }
        return text
    }

    func text(_ name: String, matching isValid: (String) -> Bool, expected: String) throws -> String? {
        guard let text = parameters.get(name) else { return nil }
        guard isValid(text) else { throw APIError.badParameter(name, "expected \(expected)") }
        return text
    }
}
