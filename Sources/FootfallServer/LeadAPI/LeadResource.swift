import FootfallCore
import Foundation

/// JSON shape of a lead in the Lead API: the ``Lead`` struct with snake_case keys (times in
/// ms since the epoch), plus `target_account`. Key-page patterns (map keys) are kept as written.
struct LeadResource: Encodable {
    let lead: Lead

    enum ExtraKeys: String, CodingKey {
        case targetAccount
    }

    func encode(to encoder: any Encoder) throws {
        try lead.encode(to: encoder)
        var container = encoder.container(keyedBy: ExtraKeys.self)
        try container.encode(lead.targetAccount, forKey: .targetAccount)
    }

    /// snake_case for the struct's properties; the keys of `key_pages` are page patterns.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .custom { path in
            let key = path.last!
            if path.count >= 2, path[path.count - 2].stringValue == "keyPages" { return key }
            return SnakeCaseKey(camelCase: key.stringValue)
        }
        return encoder
    }
}

/// A coding key converted from camelCase to snake_case as `.convertToSnakeCase` does
/// (`scoreExplanation` → `score_explanation`, `siteID` → `site_id`).
struct SnakeCaseKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }

    init(camelCase: String) {
        let characters = Array(camelCase)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) { result.append("_") }
            }
            result += character.lowercased()
        }
        stringValue = result
    }

    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// `GET /api/v1/leads`: one page of leads and the cursor of the next.
struct LeadPageResource: Encodable {
    let leads: [LeadResource]
    @Nullable var next_cursor: String?
}

/// `GET /api/v1/leads/changes`: leads changed after the cursor, in `change_seq` order.
/// `next_cursor` is always set: ask again with it to see later changes.
struct LeadChangesResource: Encodable {
    let changes: [LeadResource]
    let next_cursor: String
}

/// `GET /api/v1/leads/{id}/visits`: the lead's visits (journeys), newest first.
struct LeadVisitsResource: Encodable {
    let visits: [VisitResource]
    @Nullable var next_cursor: String?
}
