import FootfallCore
import Foundation
import GRDB

/// A segment whose stored bytes do not match their checksum or do not decode.
public struct CorruptSegment: Error, Sendable, Equatable, CustomStringConvertible {
    public var segmentID: Int64
    public var column: String
    public var reason: String

    public var description: String { "segment \(segmentID) column \(column) is corrupt (\(reason)); skipped" }
}

/// The zone map of a stored segment: what it covers, without reading a blob.
public struct SegmentInfo: Sendable, Equatable {
    public var id: Int64
    public var siteID: Int64
    public var kind: ColumnSegment.Kind
    public var rowCount: Int
    public var minTime: Int64
    public var maxTime: Int64
    public var minOrganisation: String
    public var maxOrganisation: String
}

/// Writes, prunes, reads and verifies columnar segments in `segments` / `segment_columns`.
enum ColumnSegmentStore {
    /// Most rows (visits or events) per segment, and so per compaction transaction, which
    /// ingest waits behind: 0.7–0.8 s at this size (mostly remembering the events' ids and
    /// deleting their hot rows). 16,384 rows held ingest 0.3 s but stored 4% more bytes per
    /// page view and answered some columnar queries slower (`make bench compaction-stall`,
    /// `columnar`).
    static let maxRows = 65_536

    /// A segment with its columns encoded: the costly part of writing one, which compaction
    /// does before its write transaction so ingest does not wait for it.
    struct Encoded: Sendable {
        /// The zone map and counts (its `columns` are left empty).
        var segment: ColumnSegment
        /// Encoded columns by name, in name order.
        var blobs: [(name: String, blob: ColumnEncoding.Blob)]

        init(_ segment: ColumnSegment) {
            blobs = segment.columns.sorted { $0.key < $1.key }.map { (name: $0.key, blob: ColumnEncoding.encode($0.value)) }
            self.segment = segment
            self.segment.columns = [:]
        }
    }

    /// Encodes and inserts `segment`; returns its id.
    @discardableResult
    static func write(_ segment: ColumnSegment, _ db: Database, now: Int64) throws -> Int64 {
        try write(Encoded(segment), db, now: now)
    }

    /// Inserts an encoded segment; returns its id.
    @discardableResult
    static func write(_ encoded: Encoded, _ db: Database, now: Int64) throws -> Int64 {
        let segment = encoded.segment
        try db.execute(sql: """
            INSERT INTO segments (site_id, kind, row_count, min_ts, max_ts, min_org, max_org, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                segment.siteID, segment.kind.rawValue, segment.rowCount, segment.minTime, segment.maxTime,
                segment.minOrganisation, segment.maxOrganisation, now,
            ])
        let id = db.lastInsertedRowID
        let insert = try db.cachedStatement(sql: """
            INSERT INTO segment_columns (segment_id, name, encoding, raw_size, compressed, checksum, data)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for (name, blob) in encoded.blobs {
            try insert.execute(arguments: [
                id, name, blob.description, blob.rawSize, blob.compressed, Int64(blob.checksum), Data(blob.bytes),
            ])
        }
        return id
    }

    /// Segments of one site and kind whose time range overlaps `[from, to)`, oldest first.
    static func segments(_ db: Database, siteID: Int64, kind: ColumnSegment.Kind, from: Int64 = .min, to: Int64 = .max) throws -> [SegmentInfo] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM segments WHERE site_id = ? AND kind = ? AND max_ts >= ? AND min_ts < ?
            ORDER BY min_ts, id
            """, arguments: [siteID, kind.rawValue, from, to]).map(info(from:))
    }

    static func info(from row: Row) -> SegmentInfo {
        SegmentInfo(
            id: row["id"], siteID: row["site_id"], kind: ColumnSegment.Kind(rawValue: row["kind"]) ?? .visits,
            rowCount: row["row_count"], minTime: row["min_ts"], maxTime: row["max_ts"],
            minOrganisation: row["min_org"], maxOrganisation: row["max_org"])
    }

    /// Reads the named columns of one segment, verifying each blob's checksum.
    /// - Throws: ``CorruptSegment`` naming the segment and column.
    static func batch(_ db: Database, segment: SegmentInfo, columns names: [String]) throws -> ColumnBatch {
        var batch = ColumnBatch(segmentID: segment.id, rowCount: segment.rowCount)
        for name in names {
            if VisitColumns.addedNames.contains(name), segment.kind == .visits,
               try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM segment_columns WHERE segment_id = ? AND name = ?)",
                                  arguments: [segment.id, name])! {
                continue
            }
            let blob = try storedBlob(db, segmentID: segment.id, column: name)
            if blob.kind == .string {
                do {
                    batch.stringColumns[name] = try ColumnEncoding.decodeDictionary(blob.data, rawSize: blob.rawSize, compressed: blob.compressed)
                } catch {
                    throw CorruptSegment(segmentID: segment.id, column: name, reason: "\(error)")
                }
            } else {
                batch.set(name, try decode(blob, segmentID: segment.id, column: name))
            }
        }
        return batch
    }

    /// Every column of one segment.
    static func allColumns(_ db: Database, segment: SegmentInfo) throws -> [String: ColumnValues] {
        let names = try String.fetchAll(db, sql: "SELECT name FROM segment_columns WHERE segment_id = ? ORDER BY name", arguments: [segment.id])
        var columns: [String: ColumnValues] = [:]
        for name in names {
            columns[name] = try decode(try storedBlob(db, segmentID: segment.id, column: name), segmentID: segment.id, column: name)
        }
        return columns
    }

    struct StoredBlob {
        enum Kind { case string, other }
        var data: [UInt8]
        var rawSize: Int
        var compressed: Bool
        var kind: Kind
    }

    static func storedBlob(_ db: Database, segmentID: Int64, column: String) throws -> StoredBlob {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT encoding, raw_size, compressed, checksum, data FROM segment_columns WHERE segment_id = ? AND name = ?"),
            arguments: [segmentID, column])
        else {
            throw CorruptSegment(segmentID: segmentID, column: column, reason: "column missing")
        }
        let data = [UInt8](row["data"] as Data)
        let stored = UInt32(truncatingIfNeeded: row["checksum"] as Int64)
        let actual = Zlib.crc32(data)
        guard stored == actual else {
            throw CorruptSegment(segmentID: segmentID, column: column, reason: "checksum \(actual) ≠ stored \(stored)")
        }
        let encoding: String = row["encoding"]
        let isString = encoding.hasPrefix("dict") || encoding.hasPrefix("strings")
        return StoredBlob(data: data, rawSize: row["raw_size"], compressed: row["compressed"], kind: isString ? .string : .other)
    }

    static func decode(_ blob: StoredBlob, segmentID: Int64, column: String) throws -> ColumnValues {
        do {
            return try ColumnEncoding.decode(blob.data, rawSize: blob.rawSize, compressed: blob.compressed)
        } catch {
            throw CorruptSegment(segmentID: segmentID, column: column, reason: "\(error)")
        }
    }

    /// Checks every column of every segment; returns the problems found.
    static func verifyAll(_ db: Database) throws -> (segments: Int, problems: [CorruptSegment]) {
        let infos = try Row.fetchAll(db, sql: "SELECT * FROM segments ORDER BY id").map(info(from:))
        var problems: [CorruptSegment] = []
        for segment in infos {
            do {
                let columns = try allColumns(db, segment: segment)
                for (name, values) in columns where !name.hasPrefix("page.") && values.count != segment.rowCount {
                    problems.append(CorruptSegment(segmentID: segment.id, column: name, reason: "\(values.count) rows, expected \(segment.rowCount)"))
                }
            } catch let problem as CorruptSegment {
                problems.append(problem)
            }
        }
        return (infos.count, problems)
    }
}

