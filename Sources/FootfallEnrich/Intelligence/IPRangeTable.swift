/// An immutable in-memory map from address ranges to ``NetworkRecord``s, built for the
/// ingest hot path: per family, flat sorted arrays (range starts; range end + record index
/// side by side) searched by binary search after a /16 first-level index, and the records
/// stored once each. An IPv4 range costs 12 bytes.
///
/// Overlapping input is flattened when the table is built so that the most specific
/// (innermost) range wins; ranges that partly overlap (neither nests in the other) are
/// rejected, because no "most specific" answer exists for them.
public struct IPRangeTable: Sendable {
    @usableFromInline let v4: RangeIndex<UInt32>
    @usableFromInline let v6: RangeIndex<UInt128>
    /// Distinct records; ranges refer to them by index.
    public let records: [NetworkRecord]

    /// A table with no ranges.
    public static let empty = IPRangeTable(v4: RangeIndex(), v6: RangeIndex(), records: [])

    /// Ranges stored after flattening (adjacent ranges with the same record are merged).
    public var rangeCount: Int { v4.count + v6.count }

    /// Bytes held by the range arrays and the record table's inline storage.
    public var approximateBytes: Int {
        v4.bytes + v6.bytes + records.count * MemoryLayout<NetworkRecord>.stride
            + records.reduce(0) { $0 + $1.organisation.utf8.count + $1.domain.utf8.count }
    }

    /// The record of the most specific range containing `address`, if any.
    @inlinable
    public func lookup(_ address: IPAddress) -> NetworkRecord? {
        let index: UInt32?
        if let value = address.ipv4Value {
            index = v4.lookup(value)
        } else if let value = address.ipv6Value {
            index = v6.lookup(value)
        } else {
            index = nil
        }
        return index.map { records[Int($0)] }
    }

    /// Hot-path lookup of an IPv4 address given as its 32-bit value.
    @inlinable
    public func lookup(ipv4 value: UInt32) -> NetworkRecord? {
        v4.lookup(value).map { records[Int($0)] }
    }
}

/// Sorted, non-overlapping ranges of one address family.
///
/// Large tables also keep a first-level index by the key's top 16 bits (65,537 UInt32s,
/// 256 KiB): it narrows each binary search from the whole table (~19 probes, most of them
/// cache misses at 500k ranges) to the few ranges starting in one /16, which is what lifts
/// lookups well past a million per second. Small tables (a tenant's custom ranges) skip it.
@usableFromInline
struct RangeIndex<Key: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    @usableFromInline let starts: [Key]
    /// End and record index of each range side by side: the search touches `starts`
    /// only, then one more cache line settles the answer.
    @usableFromInline let tails: [Tail]
    /// `prefixIndex[p]` = index of the first range starting at or after prefix `p`; empty
    /// for small tables.
    @usableFromInline let prefixIndex: [UInt32]

    static var prefixBits: Int { 16 }
    static var indexedFrom: Int { 1024 }

    @usableFromInline
    struct Tail: Sendable {
        @usableFromInline let end: Key
        @usableFromInline let value: UInt32
    }

    init(starts: [Key] = [], ends: [Key] = [], values: [UInt32] = []) {
        self.starts = starts
        tails = zip(ends, values).map { Tail(end: $0, value: $1) }
        guard starts.count >= Self.indexedFrom else {
            prefixIndex = []
            return
        }
        var index = [UInt32](repeating: 0, count: (1 << Self.prefixBits) + 1)
        var position = 0
        for prefix in 0...(1 << Self.prefixBits) {
            while position < starts.count, Int(starts[position] >> (Key.bitWidth - Self.prefixBits)) < prefix { position += 1 }
            index[prefix] = UInt32(position)
        }
        prefixIndex = index
    }

    var count: Int { starts.count }
    var bytes: Int {
        starts.capacity * MemoryLayout<Key>.stride + tails.capacity * MemoryLayout<Tail>.stride + prefixIndex.capacity * 4
    }

    /// The value of the range containing `key`: the last range starting at or before it,
    /// if it also ends at or after it.
    @inlinable
    func lookup(_ key: Key) -> UInt32? {
        starts.withUnsafeBufferPointer { starts -> UInt32? in
            var low = 0
            var high = starts.count
            if !prefixIndex.isEmpty {
                let prefix = Int(truncatingIfNeeded: key >> (Key.bitWidth - 16))
                prefixIndex.withUnsafeBufferPointer { index in
                    low = Int(index[prefix])
                    high = Int(index[prefix &+ 1])
                }
            }
            while low < high {
                let middle = (low &+ high) >> 1
                if starts[middle] <= key { low = middle &+ 1 } else { high = middle }
            }
            // When no range of this /16 starts at or before `key`, `low - 1` is the last
            // range of an earlier /16, which may reach into this one.
            let index = low &- 1
            guard index >= 0 else { return nil }
            let tail = tails.withUnsafeBufferPointer { $0[index] }
            return tail.end >= key ? tail.value : nil
        }
    }
}

/// Why a set of ranges cannot form a table.
public struct RangeOverlapError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Source positions (line numbers) of the two ranges.
    public var first: Int
    public var second: Int
    public var firstRange: String
    public var secondRange: String

    public var description: String {
        "line \(second): range \(secondRange) partly overlaps \(firstRange) from line \(first) (ranges may nest or be disjoint)"
    }
}

extension IPRangeTable {
    /// Collects ranges, then flattens them into an ``IPRangeTable``.
    public struct Builder: Sendable {
        struct Entry<Key: Sendable>: Sendable {
            var start: Key
            var end: Key
            var record: UInt32
            /// Where the range came from (a line number), for error messages; also breaks
            /// ties so that of two identical ranges the later one wins.
            var position: Int
        }

        var v4: [Entry<UInt32>] = []
        var v6: [Entry<UInt128>] = []
        var records: [NetworkRecord] = []
        var recordIndex: [NetworkRecord: UInt32] = [:]

        public init() {}

        public var isEmpty: Bool { v4.isEmpty && v6.isEmpty }

        /// Adds `range` → `record`; `position` (e.g. the line number) names it in errors.
        public mutating func add(_ range: IPRange, _ record: NetworkRecord, position: Int) {
            let index = intern(record)
            if let first = range.first.ipv4Value, let last = range.last.ipv4Value {
                v4.append(Entry(start: first, end: last, record: index, position: position))
            } else if let first = range.first.ipv6Value, let last = range.last.ipv6Value {
                v6.append(Entry(start: first, end: last, record: index, position: position))
            }
        }

        /// Adds an IPv4 range given as integers (the bulk path for large files).
        public mutating func add(ipv4 first: UInt32, _ last: UInt32, _ record: NetworkRecord, position: Int) {
            v4.append(Entry(start: first, end: last, record: intern(record), position: position))
        }

        mutating func intern(_ record: NetworkRecord) -> UInt32 {
            if let index = recordIndex[record] { return index }
            let index = UInt32(records.count)
            records.append(record)
            recordIndex[record] = index
            return index
        }

        /// The flattened table, or the first pair of partly overlapping ranges.
        public func build() throws(RangeOverlapError) -> IPRangeTable {
            IPRangeTable(
                v4: try Self.flatten(v4, describe: { IPRange(first: IPAddress(ipv4: $0), last: IPAddress(ipv4: $1))! }),
                v6: try Self.flatten(v6, describe: { IPRange(first: IPAddress(ipv6: $0), last: IPAddress(ipv6: $1))! }),
                records: records)
        }

        /// Turns nested ranges into disjoint ones where the innermost range wins: sweep the
        /// ranges by start (outer before inner), keeping the chain of enclosing ranges on a
        /// stack and emitting the uncovered pieces of each as the sweep leaves it.
        static func flatten<Key: FixedWidthInteger & UnsignedInteger & Sendable>(
            _ entries: [Entry<Key>], describe: (Key, Key) -> IPRange
        ) throws(RangeOverlapError) -> RangeIndex<Key> {
            let sorted = entries.sorted {
                ($0.start, $1.end, $0.position) < ($1.start, $0.end, $1.position)
            }
            var starts: [Key] = []
            var ends: [Key] = []
            var values: [UInt32] = []
            starts.reserveCapacity(sorted.count)
            ends.reserveCapacity(sorted.count)
            values.reserveCapacity(sorted.count)
            func emit(_ start: Key, _ end: Key, _ value: UInt32) {
                if let lastEnd = ends.last, values.last == value, lastEnd != .max, lastEnd + 1 == start {
                    ends[ends.count - 1] = end
                } else {
                    starts.append(start)
                    ends.append(end)
                    values.append(value)
                }
            }
            var stack: [Entry<Key>] = []
            // Next address not yet emitted; nil once the sweep passed Key.max.
            var cursor: Key? = .min
            func pop() {
                let top = stack.removeLast()
                if let from = cursor, from <= top.end {
                    emit(from, top.end, top.record)
                    cursor = top.end == .max ? nil : top.end + 1
                }
            }
            for entry in sorted {
                while let top = stack.last, top.end < entry.start { pop() }
                if let top = stack.last {
                    guard entry.end <= top.end else {
                        throw RangeOverlapError(
                            first: top.position, second: entry.position,
                            firstRange: describe(top.start, top.end).description,
                            secondRange: describe(entry.start, entry.end).description)
                    }
                    if let from = cursor, from < entry.start { emit(from, entry.start - 1, top.record) }
                }
                cursor = entry.start
                stack.append(entry)
            }
            while !stack.isEmpty { pop() }
            return RangeIndex(starts: starts, ends: ends, values: values)
        }
    }
}
