import FootfallCore

/// A lead's ``StoredTally`` as `leads.tally` holds it: a compact binary record, written for
/// every lead a settle touches and read for every lead it loads, where JSON coding took about
/// a sixth of the writer's time. Rows written as JSON text by earlier versions are still read
/// (``LeadRow/storedTally(from:)``) and become records when their lead next changes.
///
/// Layout (version 1, ``RecordWriter``'s encodings): the byte `1`; visits, page views,
/// engaged ms and the visitor count as zigzag varints; then eleven maps, each its entry
/// count followed by (key string, zigzag count) pairs: visitors, days, pages, sources,
/// campaigns, organisation names, ASNs, network types, places, match sources and key pages;
/// then the number of key-page patterns and each pattern. Counts may be negative (pending
/// changes of a tally not yet flushed).
enum TallyRecord {
    static let version: UInt8 = 1

    static func encode(_ stored: StoredTally) -> [UInt8] {
        let tally = stored.tally
        let maps = maps(stored)
        var writer = RecordWriter(version: version, capacity: maps.reduce(32) { $0 + $1.count * 16 })
        for value in [Int64(tally.visits), Int64(tally.pageviews), tally.engagedMs, Int64(stored.visitorCount)] {
            writer.signed(value)
        }
        for map in maps {
            writer.varint(UInt64(map.count))
            for (key, count) in map {
                writer.string(key)
                writer.signed(Int64(count))
            }
        }
        writer.varint(UInt64(stored.keyPatterns.count))
        for pattern in stored.keyPatterns { writer.string(pattern) }
        return writer.bytes
    }

    /// - Throws: `SQLITE_CORRUPT` when the bytes are not a version 1 record.
    static func decode(_ bytes: [UInt8]) throws -> StoredTally {
        var reader = RecordReader(bytes: bytes, column: "leads.tally")
        guard try reader.byte() == version else { throw reader.corrupt }
        var stored = StoredTally()
        stored.tally.visits = Int(try reader.signed())
        stored.tally.pageviews = Int(try reader.signed())
        stored.tally.engagedMs = try reader.signed()
        stored.visitorCount = Int(try reader.signed())
        var maps: [[String: Int]] = []
        for _ in 0..<mapCount {
            let count = try reader.count()
            var map: [String: Int] = [:]
            map.reserveCapacity(count)
            for _ in 0..<count {
                let key = try reader.string()
                map[key] = Int(try reader.signed())
            }
            maps.append(map)
        }
        (stored.tally.visitors, stored.tally.days, stored.tally.pages, stored.tally.sources) = (maps[0], maps[1], maps[2], maps[3])
        (stored.tally.campaigns, stored.tally.names, stored.tally.asns) = (maps[4], maps[5], maps[6])
        (stored.tally.networkTypes, stored.tally.places, stored.tally.matchSources) = (maps[7], maps[8], maps[9])
        stored.keyPages = maps[10]
        let patterns = try reader.count()
        for _ in 0..<patterns { stored.keyPatterns.append(try reader.string()) }
        guard reader.isAtEnd else { throw reader.corrupt }
        return stored
    }

    private static let mapCount = 11

    /// The maps in their stored order.
    private static func maps(_ stored: StoredTally) -> [[String: Int]] {
        let tally = stored.tally
        return [
            tally.visitors, tally.days, tally.pages, tally.sources, tally.campaigns, tally.names, tally.asns,
            tally.networkTypes, tally.places, tally.matchSources, stored.keyPages,
        ]
    }
}
