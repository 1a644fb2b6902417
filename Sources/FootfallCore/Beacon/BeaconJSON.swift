/// One JSON value of a beacon body, read straight from its bytes by ``parse(_:)``: the
/// ingest hot path's JSON reader, in place of Foundation's `JSONSerialization`, which took
/// about half of beacon parsing (perf, under `make bench ingest`) to build and then bridge
/// `NSDictionary`/`NSNumber` trees.
///
/// It reads what `JSONSerialization` read, which `BeaconJSONTests` checks byte for byte on
/// mutated beacons: RFC 8259's grammar in UTF-8 (a leading byte order mark is skipped), plus
/// one trailing comma in an array or object; no comments, no leading zeros or `+`, no
/// control characters inside strings, no lone UTF-16 surrogates in `\u` escapes, no number
/// beyond `Double`'s range. Numbers are read as `Double`. Of repeated keys the last counts.
enum BeaconJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([BeaconJSON])
    case object([String: BeaconJSON])

    /// The bytes are not one JSON text.
    struct Malformed: Error {}

    /// Deepest nesting of arrays and objects read: `JSONSerialization`'s own limit.
    static let maxDepth = 512

    /// Reads one JSON text (any value, not only an object), with only whitespace around it.
    /// - Throws: ``Malformed`` on the first byte that breaks the grammar, on invalid UTF-8,
    ///   and past ``maxDepth``.
    static func parse(_ bytes: [UInt8]) throws(Malformed) -> BeaconJSON {
        let parsed: BeaconJSON? = bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(bytes: buffer)
            if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { reader.index = 3 }
            guard let value = try? reader.value(depth: 0) else { return nil }
            reader.skipWhitespace()
            return reader.index == buffer.count ? value : nil
        }
        guard let parsed else { throw Malformed() }
        return parsed
    }

    /// A cursor over the body's bytes.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        /// The next byte after whitespace, consumed.
        mutating func next() throws(Malformed) -> UInt8 {
            skipWhitespace()
            guard index < bytes.count else { throw Malformed() }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func value(depth: Int) throws(Malformed) -> BeaconJSON {
            switch try next() {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("rue"); return .bool(true)
            case UInt8(ascii: "f"): try literal("alse"); return .bool(false)
            case UInt8(ascii: "n"): try literal("ull"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                index -= 1
                return .number(try number())
            default: throw Malformed()
            }
        }

        mutating func literal(_ rest: StaticString) throws(Malformed) {
            let count = rest.utf8CodeUnitCount
            guard index + count <= bytes.count,
                  UnsafeBufferPointer(start: rest.utf8Start, count: count).elementsEqual(bytes[index..<index + count])
            else { throw Malformed() }
            index += count
        }

        mutating func object(depth: Int) throws(Malformed) -> BeaconJSON {
            guard depth <= BeaconJSON.maxDepth else { throw Malformed() }
            var fields: [String: BeaconJSON] = [:]
            var byte = try next()
            if byte == UInt8(ascii: "}") { return .object(fields) }
            while true {
                guard byte == UInt8(ascii: "\"") else { throw Malformed() }
                let key = try string()
                guard try next() == UInt8(ascii: ":") else { throw Malformed() }
                fields[key] = try value(depth: depth)
                switch try next() {
                case UInt8(ascii: ","):
                    byte = try next()
                    if byte == UInt8(ascii: "}") { return .object(fields) }  // a trailing comma
                case UInt8(ascii: "}"): return .object(fields)
                default: throw Malformed()
                }
            }
        }

        mutating func array(depth: Int) throws(Malformed) -> BeaconJSON {
            guard depth <= BeaconJSON.maxDepth else { throw Malformed() }
            var elements: [BeaconJSON] = []
            if try closes() { return .array(elements) }
            while true {
                elements.append(try value(depth: depth))
                switch try next() {
                case UInt8(ascii: ","): if try closes() { return .array(elements) }  // a trailing comma
                case UInt8(ascii: "]"): return .array(elements)
                default: throw Malformed()
                }
            }
        }

        /// Consumes a `]` if it is next.
        mutating func closes() throws(Malformed) -> Bool {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "]") else { return false }
            index += 1
            return true
        }

        /// The string whose opening quote was just read; consumes its closing quote.
        mutating func string() throws(Malformed) -> String {
            let start = index
            // Plain text (no escape) is validated and copied once.
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    defer { index += 1 }
                    return try text(UnsafeBufferPointer(rebasing: bytes[start..<index]))
                }
                if byte == UInt8(ascii: "\\") { break }
                guard byte >= 0x20 else { throw Malformed() }
                index += 1
            }
            var decoded = Array(bytes[start..<index])
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return try decoded.withUnsafeBufferPointer { buffer throws(Malformed) in try text(buffer) }
                case UInt8(ascii: "\\"):
                    try escape(into: &decoded)
                case 0..<0x20:
                    throw Malformed()
                default:
                    decoded.append(byte)
                }
            }
            throw Malformed()
        }

        func text(_ utf8: UnsafeBufferPointer<UInt8>) throws(Malformed) -> String {
            guard let text = String(validating: utf8, as: UTF8.self) else { throw Malformed() }
            return text
        }

        /// The escape after a backslash, appended as UTF-8.
        mutating func escape(into decoded: inout [UInt8]) throws(Malformed) {
            guard index < bytes.count else { throw Malformed() }
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(byte)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = UInt32(try hex4())
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate stands only before a low one (`\uD83D\uDE00`).
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
                    else { throw Malformed() }
                    index += 2
                    let low = UInt32(try hex4())
                    guard (0xDC00...0xDFFF).contains(low) else { throw Malformed() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw Malformed() }  // a lone low surrogate
                decoded.append(contentsOf: UTF8.encode(unicode)!)
            default:
                throw Malformed()
            }
        }

        mutating func hex4() throws(Malformed) -> UInt16 {
            guard index + 4 <= bytes.count else { throw Malformed() }
            var value: UInt16 = 0
            for byte in bytes[index..<index + 4] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw Malformed()
                }
                value = value << 4 | UInt16(digit)
            }
            index += 4
            return value
        }

        /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
        mutating func number() throws(Malformed) -> Double {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let integerStart = index
            guard skipDigits() > 0 else { throw Malformed() }
            if bytes[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 { throw Malformed() }
            var isInteger = true
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard skipDigits() > 0 else { throw Malformed() }
                isInteger = false
            }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard skipDigits() > 0 else { throw Malformed() }
                isInteger = false
            }
            // Whole numbers of up to 15 digits are exact in a Double: summed without a String.
            if isInteger, index - integerStart <= 15 {
                var value: Int64 = 0
                for byte in bytes[integerStart..<index] { value = value * 10 + Int64(byte - UInt8(ascii: "0")) }
                return Double(start == integerStart ? value : -value)
            }
            guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)),
                  value.isFinite
            else { throw Malformed() }
            return value
        }

        /// Skips ASCII digits; returns how many.
        mutating func skipDigits() -> Int {
            let start = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - start
        }
    }
}
