import FootfallCore

/// The values of one column of a segment, in row order.
public enum ColumnValues: Sendable, Equatable {
    case integers([Int64])
    case strings([String])
    /// Nullable reals (optional geo readings).
    case reals([Double?])

    public var count: Int {
        switch self {
        case .integers(let values): values.count
        case .strings(let values): values.count
        case .reals(let values): values.count
        }
    }
}

/// A string column as distinct values plus one code per row, the form queries group by.
public struct DictionaryColumn: Sendable, Equatable {
    public var dictionary: [String]
    public var codes: [Int32]

    public init(dictionary: [String], codes: [Int32]) {
        self.dictionary = dictionary
        self.codes = codes
    }

    /// Dictionary-encodes `values`.
    public init(_ values: [String]) {
        var lookup: [String: Int32] = [:]
        var dictionary: [String] = []
        var codes: [Int32] = []
        codes.reserveCapacity(values.count)
        for value in values {
            if let code = lookup[value] {
                codes.append(code)
            } else {
                let code = Int32(dictionary.count)
                lookup[value] = code
                dictionary.append(value)
                codes.append(code)
            }
        }
        self.init(dictionary: dictionary, codes: codes)
    }

    public var count: Int { codes.count }
    public subscript(row: Int) -> String { dictionary[Int(codes[row])] }
    public var materialized: [String] { codes.map { dictionary[Int($0)] } }
}

/// Encodes columns into compact blobs and back.
///
/// Integers are tried as delta + zigzag varint (timestamps, sorted ids), run-length
/// (sorted or mostly-constant columns), frame-of-reference bit-packing (small ranges) and
/// plain zigzag varint; the smallest wins. Strings are dictionary-encoded (distinct values
/// once, then integer codes through the integer encoders) unless every value is distinct.
/// The result is deflated with zlib only when that saves at least an eighth.
public enum ColumnEncoding {
    /// One encoded column: its bytes as stored, and a short description of the encoding
    /// (kept beside the blob for `footfall check` and inspection).
    public struct Blob: Sendable {
        public var bytes: [UInt8]
        public var rawSize: Int
        public var compressed: Bool
        public var description: String
        /// CRC-32 of ``bytes``.
        public var checksum: UInt32 { Zlib.crc32(bytes) }
    }

    /// Why a blob could not be decoded.
    public enum DecodingError: Error, Equatable {
        case truncated
        case unknownTag(UInt8)
        case inflate(String)
    }

    // Tags of the first byte of an uncompressed payload.
    static let plainTag: UInt8 = 0, deltaTag: UInt8 = 1, runLengthTag: UInt8 = 2, bitPackedTag: UInt8 = 3
    static let dictionaryTag: UInt8 = 10, plainStringsTag: UInt8 = 11, realsTag: UInt8 = 20

    /// Encodes `values`, choosing the encodings that make them smallest.
    public static func encode(_ values: ColumnValues) -> Blob {
        var payload: [UInt8] = []
        let description: String
        switch values {
        case .integers(let integers):
            description = encodeIntegers(integers, into: &payload)
        case .strings(let strings):
            description = encodeStrings(strings, into: &payload)
        case .reals(let reals):
            payload.append(realsTag)
            let nulls = encodeIntegers(reals.map { $0 == nil ? 1 : 0 }, into: &payload)
            for value in reals { if let value { appendFixed(value.bitPattern, into: &payload) } }
            description = "reals(nulls:\(nulls))"
        }
        let deflated = Zlib.compress(payload)
        if deflated.count < payload.count - payload.count / 8 {
            return Blob(bytes: deflated, rawSize: payload.count, compressed: true, description: description + "+zlib")
        }
        return Blob(bytes: payload, rawSize: payload.count, compressed: false, description: description)
    }

    /// Decodes a blob written by ``encode(_:)``.
    public static func decode(_ bytes: [UInt8], rawSize: Int, compressed: Bool) throws(DecodingError) -> ColumnValues {
        var reader = ByteReader(bytes: try payload(bytes, rawSize: rawSize, compressed: compressed))
        let tag = try reader.peek()
        switch tag {
        case dictionaryTag, plainStringsTag:
            return .strings(try decodeDictionary(&reader).materialized)
        case realsTag:
            _ = try reader.byte()
            let nulls = try decodeIntegers(&reader)
            var reals: [Double?] = []
            reals.reserveCapacity(nulls.count)
            for null in nulls { reals.append(null == 1 ? nil : Double(bitPattern: try reader.fixed())) }
            return .reals(reals)
        default:
            return .integers(try decodeIntegers(&reader))
        }
    }

    // MARK: Integers

    @discardableResult
    static func encodeIntegers(_ values: [Int64], into output: inout [UInt8]) -> String {
        var candidates: [(String, [UInt8])] = []
        var plain: [UInt8] = [plainTag]
        appendVarint(UInt64(values.count), into: &plain)
        for value in values { appendVarint(zigzag(value), into: &plain) }
        candidates.append(("plain", plain))

        var delta: [UInt8] = [deltaTag]
        appendVarint(UInt64(values.count), into: &delta)
        var previous: Int64 = 0
        for value in values {
            appendVarint(zigzag(value &- previous), into: &delta)
            previous = value
        }
        candidates.append(("delta", delta))

        var runs: [UInt8] = [runLengthTag]
        appendVarint(UInt64(values.count), into: &runs)
        var index = 0
        while index < values.count {
            var end = index + 1
            while end < values.count, values[end] == values[index] { end += 1 }
            appendVarint(zigzag(values[index]), into: &runs)
            appendVarint(UInt64(end - index), into: &runs)
            index = end
        }
        candidates.append(("rle", runs))

        if let minimum = values.min(), let maximum = values.max(), maximum.subtractingReportingOverflow(minimum).overflow == false {
            let range = UInt64(bitPattern: maximum &- minimum)
            let width = range == 0 ? 0 : 64 - range.leadingZeroBitCount
            var packed: [UInt8] = [bitPackedTag]
            appendVarint(UInt64(values.count), into: &packed)
            appendVarint(zigzag(minimum), into: &packed)
            packed.append(UInt8(width))
            let base = packed.count
            packed += repeatElement(0, count: (values.count * width + 7) / 8)
            var bitPosition = 0
            for value in values where width > 0 {
                var offset = UInt64(bitPattern: value &- minimum)
                var remaining = width
                while remaining > 0 {
                    let shift = bitPosition & 7
                    let take = min(8 - shift, remaining)
                    packed[base + (bitPosition >> 3)] |= UInt8(truncatingIfNeeded: (offset & ((1 << UInt64(take)) - 1)) << UInt64(shift))
                    offset >>= UInt64(take)
                    remaining -= take
                    bitPosition += take
                }
            }
            candidates.append(("bitpack\(width)", packed))
        }
        let best = candidates.min { $0.1.count < $1.1.count }!
        output += best.1
        return best.0
    }

    static func decodeIntegers(_ reader: inout ByteReader) throws(DecodingError) -> [Int64] {
        let tag = try reader.byte()
        let count = Int(try reader.varint())
        // No segment column holds more rows; a larger count is damage, not data.
        guard count <= 1 << 28 else { throw .truncated }
        var values: [Int64] = []
        values.reserveCapacity(min(count, 1 << 24))
        switch tag {
        case plainTag, deltaTag:
            // The hot loop of every query: read varints straight from the buffer.
            let isDelta = tag == deltaTag
            var position = reader.position
            let complete = reader.bytes.withUnsafeBufferPointer { buffer in
                var previous: Int64 = 0
                for _ in 0..<count {
                    var result: UInt64 = 0, shift: UInt64 = 0
                    while true {
                        guard position < buffer.count, shift < 64 else { return false }
                        let byte = buffer[position]
                        position += 1
                        result |= UInt64(byte & 0x7f) << shift
                        if byte < 0x80 { break }
                        shift += 7
                    }
                    let value = unzigzag(result)
                    previous = isDelta ? previous &+ value : value
                    values.append(previous)
                }
                return true
            }
            guard complete else { throw .truncated }
            reader.position = position
        case runLengthTag:
            while values.count < count {
                let value = unzigzag(try reader.varint())
                let length = Int(try reader.varint())
                guard length > 0, values.count + length <= count else { throw .truncated }
                values.append(contentsOf: repeatElement(value, count: length))
            }
        case bitPackedTag:
            let minimum = unzigzag(try reader.varint())
            let width = Int(try reader.byte())
            guard width <= 64 else { throw .truncated }
            guard width > 0 else { return Array(repeating: minimum, count: count) }
            guard reader.remaining * 8 >= count * width else { throw .truncated }
            let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
            let start = reader.position
            reader.bytes.withUnsafeBufferPointer { buffer in
                // Read each value from one unaligned 64-bit load (plus a ninth byte when a
                // wide value straddles it); bytes past the end read as zero.
                func word(at index: Int) -> UInt64 {
                    if index + 8 <= buffer.count {
                        return UInt64(littleEndian: UnsafeRawPointer(buffer.baseAddress! + index).loadUnaligned(as: UInt64.self))
                    }
                    var value: UInt64 = 0
                    for byte in 0..<max(0, buffer.count - index) { value |= UInt64(buffer[index + byte]) << UInt64(byte * 8) }
                    return value
                }
                var bitPosition = 0
                for _ in 0..<count {
                    let index = start + bitPosition >> 3, shift = bitPosition & 7
                    var offset = word(at: index) >> UInt64(shift)
                    if shift + width > 64 { offset |= UInt64(buffer[index + 8]) << UInt64(64 - shift) }
                    values.append(minimum &+ Int64(bitPattern: offset & mask))
                    bitPosition += width
                }
            }
            reader.position = start + (count * width + 7) >> 3
        default:
            throw .unknownTag(tag)
        }
        return values
    }

    // MARK: Strings

    static func encodeStrings(_ values: [String], into output: inout [UInt8]) -> String {
        let column = DictionaryColumn(values)
        if column.dictionary.count == values.count && values.count > 1 {
            output.append(plainStringsTag)
            appendStrings(values, into: &output)
            return "strings"
        }
        output.append(dictionaryTag)
        appendStrings(column.dictionary, into: &output)
        let codeEncoding = encodeIntegers(column.codes.map(Int64.init), into: &output)
        return "dict\(column.dictionary.count)(\(codeEncoding))"
    }

    /// Decodes a string column without materialising each row: queries group by the codes.
    public static func decodeDictionary(_ bytes: [UInt8], rawSize: Int, compressed: Bool) throws(DecodingError) -> DictionaryColumn {
        var reader = ByteReader(bytes: try payload(bytes, rawSize: rawSize, compressed: compressed))
        return try decodeDictionary(&reader)
    }

    /// The encoded payload of a stored blob, inflated when it was deflated.
    static func payload(_ bytes: [UInt8], rawSize: Int, compressed: Bool) throws(DecodingError) -> [UInt8] {
        guard compressed else { return bytes }
        do { return try Zlib.decompress(bytes, originalSize: rawSize) } catch { throw .inflate("\(error)") }
    }

    static func decodeDictionary(_ reader: inout ByteReader) throws(DecodingError) -> DictionaryColumn {
        let tag = try reader.byte()
        guard tag == dictionaryTag || tag == plainStringsTag else { throw .unknownTag(tag) }
        let strings = try readStrings(&reader)
        guard tag == dictionaryTag else { return DictionaryColumn(dictionary: strings, codes: (0..<strings.count).map(Int32.init)) }
        let codes = try decodeIntegers(&reader)
        var narrow: [Int32] = []
        narrow.reserveCapacity(codes.count)
        for code in codes {
            guard code >= 0, code < strings.count else { throw .truncated }
            narrow.append(Int32(code))
        }
        return DictionaryColumn(dictionary: strings, codes: narrow)
    }

    static func appendStrings(_ strings: [String], into output: inout [UInt8]) {
        appendVarint(UInt64(strings.count), into: &output)
        for string in strings {
            appendVarint(UInt64(string.utf8.count), into: &output)
            output += string.utf8
        }
    }

    static func readStrings(_ reader: inout ByteReader) throws(DecodingError) -> [String] {
        let count = Int(try reader.varint())
        guard count <= reader.remaining else { throw .truncated }
        var strings: [String] = []
        strings.reserveCapacity(count)
        for _ in 0..<count {
            let length = Int(try reader.varint())
            guard length <= reader.remaining else { throw .truncated }
            strings.append(String(decoding: reader.bytes[reader.position..<reader.position + length], as: UTF8.self))
            reader.position += length
        }
        return strings
    }

    // MARK: Primitives

    static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }
    static func unzigzag(_ value: UInt64) -> Int64 { Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1) }

    static func appendVarint(_ value: UInt64, into output: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        output.append(UInt8(value))
    }

    static func appendFixed(_ value: UInt64, into output: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { output.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

}

/// A cursor over an encoded payload that throws instead of reading past its end.
struct ByteReader {
    let bytes: [UInt8]
    var position = 0

    var remaining: Int { bytes.count - position }

    func peek() throws(ColumnEncoding.DecodingError) -> UInt8 {
        guard position < bytes.count else { throw .truncated }
        return bytes[position]
    }

    mutating func byte() throws(ColumnEncoding.DecodingError) -> UInt8 {
        guard position < bytes.count else { throw .truncated }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func varint() throws(ColumnEncoding.DecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < bytes.count, shift < 64 else { throw .truncated }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    mutating func fixed() throws(ColumnEncoding.DecodingError) -> UInt64 {
        guard remaining >= 8 else { throw .truncated }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[position + index]) << UInt64(index * 8) }
        position += 8
        return value
    }
}
