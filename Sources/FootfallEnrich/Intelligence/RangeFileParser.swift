import FootfallCore

/// Reads the two text formats of range data into an ``IPRangeTable``.
///
/// - `csv`: `start,end,asn,country,name`, the shape of iptoasn.com's `ip2asn-v4/v6`
///   exports (tab-separated, also accepted with commas) and of RIR-derived range lists.
///   `start`/`end` are addresses (IPv4 or IPv6) or, as in `ip2asn-v4-u32`, 32-bit
///   integers. Rows with AS 0 ("Not routed") carry no organisation and are skipped.
///   A header line is allowed. The file must end with a newline: the bulk exports always
///   do, so a missing one means the download was cut off.
/// - `custom`: a tenant's own `range,organisation,domain[,network_type[,country]]` lines
///   ("these CIDRs are Acme Corp, acme.com"); `range` is a CIDR, an address or
///   `first-last`; `network_type` defaults to `business`. Ranges may nest (the most
///   specific wins) but not partly overlap.
///
/// Blank lines and lines starting with `#` are ignored in both.
public enum RangeFileParser {
    /// Parses an iptoasn/RIR-shaped range file.
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - file: the name used in error messages.
    public static func parseCSV(_ bytes: [UInt8], file: String) throws(IPDataError) -> IPRangeTable {
        if let last = bytes.last, last != UInt8(ascii: "\n") {
            let lines = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            throw .invalidLine(file: file, line: lines, reason: "file ends in the middle of a line (truncated download?)")
        }
        var builder = IPRangeTable.Builder()
        try forEachRow(bytes, file: file) { (line, fields) throws(IPDataError) in
            guard fields.count >= 5 else {
                throw .invalidLine(file: file, line: line, reason: "expected 5 fields start,end,asn,country,name; found \(fields.count)")
            }
            guard let asn = parseASN(fields[2]) else {
                throw .invalidLine(file: file, line: line, reason: "invalid AS number '\(fields[2])'")
            }
            let country = fields[3] == "None" || fields[3] == "ZZ" ? "" : fields[3].uppercased()
            guard country.isEmpty || (country.count == 2 && country.allSatisfy(\.isLetter)) else {
                throw .invalidLine(file: file, line: line, reason: "invalid country code '\(fields[3])'")
            }
            let name = fields[4...].joined(separator: ",")
            if let first = UInt32(fields[0]), let last = UInt32(fields[1]) {
                guard first <= last else { throw .invalidLine(file: file, line: line, reason: "range start after its end") }
                if asn != 0 {
                    builder.add(ipv4: first, last, NetworkRecord(organisation: name, asn: asn, country: country), position: line)
                }
                return
            }
            guard let start = IPAddress(fields[0]) else {
                throw .invalidLine(file: file, line: line, reason: "invalid start address '\(fields[0])'")
            }
            guard let end = IPAddress(fields[1]) else {
                throw .invalidLine(file: file, line: line, reason: "invalid end address '\(fields[1])'")
            }
            guard let range = IPRange(first: start, last: end) else {
                throw .invalidLine(file: file, line: line, reason: "range \(fields[0])-\(fields[1]) mixes families or starts after its end")
            }
            if asn != 0 { builder.add(range, NetworkRecord(organisation: name, asn: asn, country: country), position: line) }
        }
        return try build(builder, file: file)
    }

    /// Parses a tenant's custom-range file.
    /// - Parameters:
    ///   - bytes: the file's content.
    ///   - file: the name used in error messages.
    public static func parseCustom(_ bytes: [UInt8], file: String) throws(IPDataError) -> IPRangeTable {
        var builder = IPRangeTable.Builder()
        try forEachRow(bytes, file: file) { (line, fields) throws(IPDataError) in
            guard fields.count >= 3, fields.count <= 5 else {
                throw .invalidLine(
                    file: file, line: line,
                    reason: "expected range,organisation,domain[,network_type[,country]]; found \(fields.count) fields")
            }
            guard let range = IPRange(fields[0]) else {
                throw .invalidLine(file: file, line: line, reason: "invalid range '\(fields[0])' (use a CIDR, an address or first-last)")
            }
            guard !fields[1].isEmpty else { throw .invalidLine(file: file, line: line, reason: "organisation is empty") }
            let domain = fields[2].lowercased()
            guard domain.isEmpty || isPlausibleDomain(domain) else {
                throw .invalidLine(file: file, line: line, reason: "invalid domain '\(fields[2])'")
            }
            var type = NetworkType.business
            if fields.count >= 4, !fields[3].isEmpty {
                guard let parsed = NetworkType(rawValue: fields[3].lowercased()), parsed != .unknown else {
                    throw .invalidLine(
                        file: file, line: line,
                        reason: "invalid network type '\(fields[3])' (isp, mobile, hosting, education, government, business)")
                }
                type = parsed
            }
            let country = fields.count == 5 ? fields[4].uppercased() : ""
            guard country.isEmpty || (country.count == 2 && country.allSatisfy(\.isLetter)) else {
                throw .invalidLine(file: file, line: line, reason: "invalid country code '\(fields[4])'")
            }
            builder.add(
                range, NetworkRecord(organisation: fields[1], domain: domain, country: country, networkType: type),
                position: line)
        }
        return try build(builder, file: file)
    }

    static func build(_ builder: IPRangeTable.Builder, file: String) throws(IPDataError) -> IPRangeTable {
        guard !builder.isEmpty else { throw .noRanges(file: file) }
        do throws(RangeOverlapError) {
            return try builder.build()
        } catch {
            throw .overlappingRanges(file: file, error)
        }
    }

    /// `AS15169`, `15169` → 15169.
    static func parseASN(_ text: String) -> Int? {
        let digits = text.hasPrefix("AS") || text.hasPrefix("as") ? text.dropFirst(2) : Substring(text)
        guard let value = UInt32(digits) else { return nil }
        return Int(value)
    }

    static func isPlausibleDomain(_ domain: String) -> Bool {
        domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".")
            && domain.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }
    }

    /// Calls `body` with each data row's 1-based line number and trimmed fields, skipping
    /// blank lines, `#` comments and a header line (a first row whose first field is a word).
    static func forEachRow(
        _ bytes: [UInt8], file: String, _ body: (Int, [String]) throws(IPDataError) -> Void
    ) throws(IPDataError) {
        var line = 0
        var sawRow = false
        var lineStart = 0
        while lineStart < bytes.count {
            line += 1
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            defer { lineStart = lineEnd + 1 }
            var slice = bytes[lineStart..<lineEnd]
            if slice.last == UInt8(ascii: "\r") { slice = slice.dropLast() }
            guard let text = String(validating: slice, as: UTF8.self) else {
                throw .invalidLine(file: file, line: line, reason: "not valid UTF-8")
            }
            let trimmed = text.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = splitFields(trimmed)
            if !sawRow {
                sawRow = true
                let first = fields[0]
                if !first.isEmpty, first.allSatisfy({ $0.isLetter || $0 == "_" || $0 == " " }) { continue }
            }
            try body(line, fields)
        }
    }

    /// Splits on tabs when the line has any, otherwise on commas honouring `"…"` quoting
    /// (organisation names contain commas: `"Google, LLC"`).
    static func splitFields(_ line: String) -> [String] {
        if line.contains("\t") { return line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).trimmingWhitespace() } }
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let character = iterator.next() {
            switch character {
            case "\"" where quoted: // a closing quote, or "" for a literal quote
                var lookahead = iterator
                if lookahead.next() == "\"" { current.append("\""); iterator = lookahead } else { quoted = false }
            case "\"" where current.trimmingWhitespace().isEmpty:
                current = ""
                quoted = true
            case "," where !quoted:
                fields.append(current.trimmingWhitespace())
                current = ""
            default:
                current.append(character)
            }
        }
        fields.append(current.trimmingWhitespace())
        return fields
    }
}
