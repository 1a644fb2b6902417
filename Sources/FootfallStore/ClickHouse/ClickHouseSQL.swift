/// Literals for ClickHouse SQL text. ClickHouse 18.16 (Debian's) has no query parameters,
/// so values are written into statements, always through these.
enum ClickHouseSQL {
    /// `value` as a single-quoted string literal: backslash and quote escaped with a
    /// backslash (ClickHouse's string literal syntax).
    static func string(_ value: some StringProtocol) -> String {
        var quoted = "'"
        for character in value.unicodeScalars {
            if character == "\\" || character == "'" { quoted.unicodeScalars.append("\\") }
            quoted.unicodeScalars.append(character)
        }
        return quoted + "'"
    }

    /// `values` as a parenthesised list of string literals, `('a', 'b')`.
    static func strings(_ values: some Sequence<some StringProtocol>) -> String {
        "(" + values.map { string($0) }.joined(separator: ", ") + ")"
    }

    /// `values` as a parenthesised list of integers, `(1, 2)`; `(NULL)` when empty, which
    /// matches nothing.
    static func integers(_ values: some Sequence<Int64>) -> String {
        let list = values.map(String.init).joined(separator: ", ")
        return "(" + (list.isEmpty ? "NULL" : list) + ")"
    }
}
