import Foundation
import Synchronization

/// The one JSON shape of a lead outside Footfall: snake_case keys, as the Lead API serves
/// it (`GET /api/v1/leads/changes`) and as NDJSON files, webhooks and alerts carry it: every
/// ``Lead`` property plus `target_account`. The keys of `key_pages` are page patterns and
/// are kept verbatim.
public enum LeadJSON {
    /// One lead as a JSON object (sorted keys, slashes unescaped): what ``encoder()`` makes
    /// of a ``Document``, written directly by ``LeadJSONWriter`` because every lead a settle
    /// touches is encoded.
    /// - Throws: only when `key_pages` cannot be encoded (never for a valid lead).
    public static func encode(_ lead: Lead) throws -> Data {
        try LeadJSONWriter.write(lead)
    }

    /// A lead with the Lead API's computed `target_account`.
    public struct Document: Encodable, Sendable {
        public let lead: Lead

        public init(lead: Lead) {
            self.lead = lead
        }

        enum ExtraKeys: String, CodingKey {
            case targetAccount
        }

        public func encode(to encoder: any Encoder) throws {
            try lead.encode(to: encoder)
            var container = encoder.container(keyedBy: ExtraKeys.self)
            try container.encode(lead.targetAccount, forKey: .targetAccount)
        }
    }

    /// The encoder of the shape: snake_case keys except key-page patterns, sorted keys.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .custom { path in
            let key = path[path.count - 1]
            if isPatternKey(path) { return key }
            return AnyKey(converted(key.stringValue, by: snakeCase, in: snakeNames))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .custom { path in
            let key = path[path.count - 1]
            if isPatternKey(path) { return key }
            return AnyKey(converted(key.stringValue, by: camelCase, in: camelNames))
        }
        return decoder
    }

    /// Key names already converted, one table per direction. Property names are few (the one
    /// dictionary of a lead, `key_pages`, keeps its keys); converting anew was half the cost
    /// of encoding a lead. Keys of decoded input beyond the first 1,000 are converted each time.
    private static let snakeNames = Mutex<[String: String]>([:])
    private static let camelNames = Mutex<[String: String]>([:])

    private static func converted(
        _ name: String, by convert: (String) -> String, in table: borrowing Mutex<[String: String]>
    ) -> String {
        if let known = table.withLock({ $0[name] }) { return known }
        let result = convert(name)
        table.withLock { if $0.count < 1_000 { $0[name] = result } }
        return result
    }

    /// `siteID` → `site_id`, `engagedMs` → `engaged_ms`.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        var previousUpper = false
        for character in name {
            if character.isUppercase {
                if !out.isEmpty && !previousUpper { out.append("_") }
                out.append(Character(character.lowercased()))
                previousUpper = true
            } else {
                out.append(character)
                previousUpper = false
            }
        }
        return out
    }

    /// `site_id` → `siteID` (Swift's spelling of the `ID` suffix), `engaged_ms` → `engagedMs`.
    static func camelCase(_ name: String) -> String {
        let parts = name.split(separator: "_")
        guard let first = parts.first else { return name }
        return parts.dropFirst().reduce(String(first)) { result, part in
            result + (part == "id" ? "ID" : part.prefix(1).uppercased() + part.dropFirst())
        }
    }

    private static func isPatternKey(_ path: [CodingKey]) -> Bool {
        path.count >= 2 && ["keyPages", "key_pages"].contains(path[path.count - 2].stringValue)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
