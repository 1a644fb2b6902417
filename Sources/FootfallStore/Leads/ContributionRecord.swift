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
        var writer = RecordWriter(version: version, capacity: 96 + contribution.paths.reduce(0) { $0 + $1.utf8.count + 1 })
        let network = contribution.network
        for value in [
            contribution.visitID, contribution.visitorID, contribution.startedAt, contribution.endedAt,
            contribution.engagedMs, Int64(network.asn),
        ] {
            writer.int64(value)
        }
        for text in [
            contribution.source, contribution.campaign, network.organisation, network.domain,
            network.networkType.rawValue, network.country, network.region, network.city, network.matchSource.rawValue,
        ] {
            writer.string(text)
        }
        writer.varint(UInt64(contribution.paths.count))
        for path in contribution.paths { writer.string(path) }
        return writer.bytes
    }

    /// - Throws: `SQLITE_CORRUPT` when the bytes are not a version 1 record.
    static func decode(_ bytes: [UInt8]) throws -> VisitContribution {
        var reader = RecordReader(bytes: bytes, column: "lead_visits.contribution")
        guard try reader.byte() == version else { throw reader.corrupt }
        let visitID = try reader.int64(), visitorID = try reader.int64()
        let startedAt = try reader.int64(), endedAt = try reader.int64()
        let engagedMs = try reader.int64(), asn = try reader.int64()
        let source = try reader.string(), campaign = try reader.string()
        let organisation = try reader.string(), domain = try reader.string()
        guard let networkType = NetworkType(rawValue: try reader.string()) else { throw reader.corrupt }
        let country = try reader.string(), region = try reader.string(), city = try reader.string()
        guard let matchSource = LeadMatchSource(rawValue: try reader.string()) else { throw reader.corrupt }
        let count = try reader.count()
        var paths: [String] = []
        paths.reserveCapacity(count)
        for _ in 0..<count { paths.append(try reader.string()) }
        guard reader.isAtEnd else { throw reader.corrupt }
        return VisitContribution(
            visitID: visitID, visitorID: visitorID, startedAt: startedAt, endedAt: endedAt, paths: paths,
            engagedMs: engagedMs, source: source, campaign: campaign,
            network: NetworkInfo(
                organisation: organisation, domain: domain, asn: Int(asn), networkType: networkType,
                country: country, storedIP: "", region: region, city: city, matchSource: matchSource))
    }
}
