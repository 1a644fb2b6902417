import FootfallCore
import GRDB

/// A visit's contribution as `lead_visits.contribution` holds it since events v9: a compact
/// binary record, written for every visit a settle folds in and read for every one it folds
/// out, where JSON coding took about a fifth of the writer's time. Rows written earlier hold
/// JSON text and are still read (``LeadRow/contribution(_:)``).
///
/// Layout (version 1): the byte `1`; visit id, visitor id, start, end (ms since the epoch),
/// engaged ms and ASN as 8-byte little-endian integers; source, campaign, organisation,
/// domain, network type, country, region, city and match source as strings; the number of
/// paths, then each path. A string is its UTF-8 length as a LEB128 varint, then its bytes.
/// The stored IP is not kept (a contribution never carries one).
enum ContributionRecord {
    static let version: UInt8 = 1

    static func encode(_ contribution: VisitContribution) -> [UInt8] {
        var bytes: [UInt8] = [version]
        bytes.reserveCapacity(96 + contribution.paths.reduce(0) { $0 + $1.utf8.count + 1 })
        let network = contribution.network
        for value in [
            contribution.visitID, contribution.visitorID, contribution.startedAt, contribution.endedAt,
            contribution.engagedMs, Int64(network.asn),
        ] {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        for text in [
            contribution.source, contribution.campaign, network.organisation, network.domain,
            network.networkType.rawValue, network.country, network.region, network.city, network.matchSource.rawValue,
        ] {
            appendString(text, to: &bytes)
        }
        appendVarint(UInt64(contribution.paths.count), to: &bytes)
        for path in contribution.paths { appendString(path, to: &bytes) }
        return bytes
    }

    /// - Throws: `SQLITE_CORRUPT` when the bytes are not a version 1 record.
    static func decode(_ bytes: [UInt8]) throws -> VisitContribution {
        var reader = Reader(bytes: bytes)
        guard try reader.byte() == version else { throw reader.corrupt }
        let visitID = try reader.int64(), visitorID = try reader.int64()
        let startedAt = try reader.int64(), endedAt = try reader.int64()
        let engagedMs = try reader.int64(), asn = try reader.int64()
        let source = try reader.string(), campaign = try reader.string()
        let organisation = try reader.string(), domain = try reader.string()
        guard let networkType = NetworkType(rawValue: try reader.string()) else { throw reader.corrupt }
        let country = try reader.string(), region = try reader.string(), city = try reader.string()
        guard let matchSource = LeadMatchSource(rawValue: try reader.string()) else { throw reader.corrupt }
        let count = try reader.varint()
        guard count <= UInt64(bytes.count) else { throw reader.corrupt }
        var paths: [String] = []
        paths.reserveCapacity(Int(count))
        for _ in 0..<count { paths.append(try reader.string()) }
        guard reader.offset == bytes.count else { throw reader.corrupt }
        return VisitContribution(
            visitID: visitID, visitorID: visitorID, startedAt: startedAt, endedAt: endedAt, paths: paths,
            engagedMs: engagedMs, source: source, campaign: campaign,
            network: NetworkInfo(
                organisation: organisation, domain: domain, asn: Int(asn), networkType: networkType,
                country: country, storedIP: "", region: region, city: city, matchSource: matchSource))
    }

    private static func appendString(_ text: String, to bytes: inout [UInt8]) {
        appendVarint(UInt64(text.utf8.count), to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var corrupt: DatabaseError { DatabaseError(resultCode: .SQLITE_CORRUPT, message: "lead_visits.contribution: malformed record") }

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

        mutating func string() throws -> String {
            let length = try varint()
            guard length <= UInt64(bytes.count - offset) else { throw corrupt }
            defer { offset += Int(length) }
            guard let text = String(validating: bytes[offset..<offset + Int(length)], as: UTF8.self) else { throw corrupt }
            return text
        }
    }
}
