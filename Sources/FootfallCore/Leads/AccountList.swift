import Foundation

/// Parses an account list (account-based marketing) from CSV: a header line
/// `domain,name,industry,employees,owner,tier` (columns in any order; domain and name
/// required), then one account per line. Fields may be double-quoted (`""` for a quote).
/// The whole file is validated before anything is used.
public enum AccountList {
    /// Most accounts one tenant may import.
    public static let maxAccounts = 100_000
    static let columns = ["domain", "name", "industry", "employees", "owner", "tier"]

    /// A file's bytes: UTF-8, with or without the byte-order mark spreadsheets write
    /// ("CSV UTF-8").
    /// - Throws: ``AccountListError`` naming the first line that is not UTF-8, or as
    ///   ``parse(_:)-(String)`` does.
    public static func parse(_ data: Data) throws(AccountListError) -> [Account] {
        guard let text = String(validating: data, as: UTF8.self) else {
            let lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
            let bad = lines.firstIndex { String(validating: $0, as: UTF8.self) == nil } ?? 0
            throw AccountListError(line: bad + 1, reason: "not UTF-8 text (save the file as CSV UTF-8)")
        }
        return try parse(text)
    }

    /// - Throws: ``AccountListError`` naming the first bad line (1-based) and why.
    public static func parse(_ text: String) throws(AccountListError) -> [Account] {
        let text = text.first == "\u{FEFF}" ? String(text.dropFirst()) : text
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if let index = lines.firstIndex(where: { $0.contains("\u{0}") }) {
            throw AccountListError(line: index + 1, reason: "contains a NUL character")
        }
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        guard let headerLine = lines.first else { throw AccountListError(line: 1, reason: "empty file; expected a header line") }
        let header = try fields(headerLine, line: 1).map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        for (index, name) in header.enumerated() {
            guard columns.contains(name) else {
                throw AccountListError(line: 1, reason: "unknown column '\(name)'; columns: \(columns.joined(separator: ","))")
            }
            if header[..<index].contains(name) { throw AccountListError(line: 1, reason: "column '\(name)' appears twice") }
        }
        for required in ["domain", "name"] where !header.contains(required) {
            throw AccountListError(line: 1, reason: "missing column '\(required)'")
        }
        guard lines.count - 1 <= maxAccounts else {
            throw AccountListError(line: maxAccounts + 2, reason: "more than \(maxAccounts) accounts")
        }
        var accounts: [Account] = []
        var seen: [String: Int] = [:]
        for (index, text) in lines.enumerated().dropFirst() {
            let line = index + 1
            let values = try fields(text, line: line)
            guard values.count == header.count else {
                throw AccountListError(line: line, reason: "expected \(header.count) fields, found \(values.count)")
            }
            var row: [String: String] = [:]
            for (name, value) in zip(header, values) { row[name] = value.trimmingCharacters(in: .whitespaces) }
            let domain = row["domain"]!.lowercased()
            guard Self.isDomain(domain) else { throw AccountListError(line: line, reason: "invalid domain '\(row["domain"]!)'") }
            if let first = seen[domain] { throw AccountListError(line: line, reason: "duplicate domain '\(domain)' (first on line \(first))") }
            seen[domain] = line
            guard let name = row["name"], !name.isEmpty, name.count <= 200 else {
                throw AccountListError(line: line, reason: "name must be 1–200 characters")
            }
            let employeesText = row["employees"] ?? ""
            guard employeesText.isEmpty || Int(employeesText).map({ $0 >= 0 }) == true else {
                throw AccountListError(line: line, reason: "employees must be a whole number ≥ 0, got '\(employeesText)'")
            }
            let tier = row["tier"] ?? ""
            guard ["", "1", "2", "3"].contains(tier) else {
                throw AccountListError(line: line, reason: "tier must be 1, 2, 3 or empty, got '\(tier)'")
            }
            accounts.append(Account(
                domain: domain, name: name, industry: row["industry"] ?? "", employees: Int(employeesText) ?? 0,
                owner: row["owner"] ?? "", tier: tier))
        }
        return accounts
    }

    static func isDomain(_ text: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
        return (3...253).contains(text.count) && text.contains(".") && text.allSatisfy(allowed.contains)
            && !text.hasPrefix(".") && !text.hasSuffix(".")
    }

    /// One CSV line's fields (RFC 4180 quoting, no line breaks inside quotes).
    static func fields(_ line: String, line number: Int) throws(AccountListError) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var characters = Array(line)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        current.append("\"")
                        characters.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(character)
                }
            } else if character == "\"" && current.trimmingCharacters(in: .whitespaces).isEmpty {
                current = ""
                quoted = true
            } else if character == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        guard !quoted else { throw AccountListError(line: number, reason: "unterminated quoted field") }
        fields.append(current)
        return fields
    }
}

/// Why an account list was refused: the 1-based line and the reason.
public struct AccountListError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String

    public var description: String { "line \(line): \(reason)" }
}
