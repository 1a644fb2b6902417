/// A URL path pattern where `*` matches any run of characters (including `/`):
/// `/admin/*`, `/preview*`, `*/print`. Anything else matches literally.
public struct PathPattern: Sendable, Equatable, Codable, CustomStringConvertible {
    public let text: String

    static let maxLength = 200

    /// Validates a pattern: it starts with `/` or `*`, has no whitespace, control character,
    /// comma, `;` (a list separator people try), `?` or `#`, and is at most 200 characters.
    public init?(_ text: String) {
        guard let first = text.first, first == "/" || first == "*", text.utf8.count <= Self.maxLength,
              !text.contains(where: { $0.isWhitespace || $0 == "," || $0 == ";" || $0 == "?" || $0 == "#" }),
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { return nil }
        self.text = text
    }

    public var description: String { text }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let pattern = PathPattern(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad path pattern '\(text)'"))
        }
        self = pattern
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    /// Whether the whole of `path` matches.
    public func matches(_ path: String) -> Bool {
        let parts = text.split(separator: "*", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return path == text }
        var rest = Substring(path)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
            guard let range = rest.firstRange(of: middle) else { return false }
            rest = rest[range.upperBound...]
        }
        let last = parts[parts.count - 1]
        return rest.count >= last.count && rest.hasSuffix(last)
    }

    /// One JavaScript regular expression matching a path when any pattern matches, as the
    /// tracker applies it; empty when there are no patterns.
    public static func javaScriptRegex(_ patterns: [PathPattern]) -> String {
        guard !patterns.isEmpty else { return "" }
        let special = Set("\\^$.|?+()[]{}")
        let alternatives = patterns.map { pattern in
            pattern.text.map { character -> String in
                if character == "*" { return ".*" }
                return special.contains(character) ? "\\" + String(character) : String(character)
            }.joined()
        }
        return "^(?:" + alternatives.joined(separator: "|") + ")$"
    }
}
