import GRDB

/// The byte layout shared by the lead store's binary records (``ContributionRecord``,
/// ``TallyRecord``): fixed 8-byte little-endian integers, LEB128 varints, zigzag varints for
/// signed counts, and strings as their UTF-8 length (varint) followed by their bytes.
struct RecordWriter {
    private(set) var bytes: [UInt8]

    init(version: UInt8, capacity: Int) {
        bytes = [version]
        bytes.reserveCapacity(capacity)
    }

    mutating func int64(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// A signed value as a zigzag varint (0, -1, 1, -2 … → 0, 1, 2, 3 …).
    mutating func signed(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    mutating func string(_ text: String) {
        varint(UInt64(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }
}

/// Reads what ``RecordWriter`` wrote.
/// - Throws: from every read, `SQLITE_CORRUPT` naming `column` when the bytes run out, a
///   varint runs past 64 bits or a string is not UTF-8.
struct RecordReader {
    let bytes: [UInt8]
    /// The column the record comes from, for the error message.
    let column: String
    private(set) var offset = 0

    init(bytes: [UInt8], column: String) {
        self.bytes = bytes
        self.column = column
    }

    var corrupt: DatabaseError { DatabaseError(resultCode: .SQLITE_CORRUPT, message: "\(column): malformed record") }
    var isAtEnd: Bool { offset == bytes.count }
    var remaining: Int { bytes.count - offset }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw corrupt }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func int64() throws -> Int64 {
        guard bytes.count - offset >= 8 else { throw corrupt }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * index) }
        offset += 8
        return Int64(bitPattern: value)
    }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            let next = try byte()
            value |= UInt64(next & 0x7F) << UInt64(shift)
            if next < 0x80 { return value }
        }
        throw corrupt
    }

    mutating func signed() throws -> Int64 {
        let value = try varint()
        return Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// A count of items that follow, each at least one byte: refused when more than the bytes left.
    mutating func count() throws -> Int {
        let count = try varint()
        guard count <= UInt64(remaining) else { throw corrupt }
        return Int(count)
    }

    mutating func string() throws -> String {
        let length = try varint()
        guard length <= UInt64(remaining) else { throw corrupt }
        defer { offset += Int(length) }
        guard let text = String(validating: bytes[offset..<offset + Int(length)], as: UTF8.self) else { throw corrupt }
        return text
    }
}
