/// The events the live ``Sessionizer`` holds for one visitor, in (time, id) order, encoded
/// one after another in a single byte buffer.
///
/// Held as `[FoldedEvent]`, an event took about 230 bytes of heap (heaptrack, `make bench
/// ingest`): a 104-byte array slot and its own allocations for the id, path and referrer
/// text. Encoded, a page view takes about 45 bytes and a beacon 40, in one allocation per
/// visitor. Events are decoded only to re-derive visits (an event out of order or a page view
/// whose beacons came first); what every event needs (its id among those held, the last
/// event, the last context) is read from the bytes.
///
/// Each event is the length of the rest, then: its type, one byte; its id and page load id,
/// each a length and UTF-8 bytes (what the per-event scans read; the length lets them skip
/// the rest); its timestamp minus the previous event's (the first's, minus 0), engaged ms,
/// scroll percent, context (0 for none, else its position in ``contexts`` plus one) and the
/// numbers of its path and referrer among the ``Interner``'s texts. Numbers and lengths are
/// LEB128 varints, signed ones zigzag-encoded.
struct HeldEvents: Sendable {
    private var bytes: [UInt8] = []
    /// The distinct contexts the events hold (page views that share one share the object).
    private var contexts: [EventContext] = []
    /// Timestamp of the last event, milliseconds since the epoch; meaningless when empty.
    private(set) var lastTimestamp: Int64 = 0
    private var eventCount: Int32 = 0
    /// Where the last event's bytes start.
    private var lastStart: Int32 = 0
    /// Position in ``contexts`` of the latest event's context that has one, or -1.
    private var lastContextIndex: Int32 = -1

    init() {}

    /// Encodes `events`, which must be in (time, id) order.
    init(_ events: some Sequence<FoldedEvent>) {
        for event in events { append(event) }
    }

    var count: Int { Int(eventCount) }
    var isEmpty: Bool { eventCount == 0 }

    /// The context of the latest page view or geolocation reading held (beacons hold none):
    /// the one the visitor's next event shares when equal.
    var lastContext: EventContext? { lastContextIndex < 0 ? nil : contexts[Int(lastContextIndex)] }

    /// Timestamp of the first event, nil when none is held.
    var firstTimestamp: Int64? {
        guard !isEmpty else { return nil }
        return record(at: 0, previousTimestamp: 0).timestamp
    }

    /// Adds `event`, which must not precede the last event held (``Sessionizer/precedes(_:_:)``).
    mutating func append(_ event: FoldedEvent) {
        let contextNumber: Int64
        if let context = event.context {
            let index = contexts.firstIndex { $0 === context } ?? contexts.endIndex
            if index == contexts.endIndex { contexts.append(context) }
            lastContextIndex = Int32(index)
            contextNumber = Int64(index) + 1
        } else {
            contextNumber = 0
        }
        let id = event.id.utf8, pageLoadID = event.pageLoadID.utf8
        let delta = Self.zigzag(event.timestamp &- (isEmpty ? 0 : lastTimestamp)), engaged = Self.zigzag(event.engagedMs)
        let scroll = Self.zigzag(Int64(event.maxScrollPercent)), context = UInt64(contextNumber)
        let path = UInt64(event.pathNumber), referrer = UInt64(event.referrerNumber)
        let bodyLength = 1 + Self.varintLength(UInt64(id.count)) + id.count + Self.varintLength(UInt64(pageLoadID.count))
            + pageLoadID.count + Self.varintLength(delta) + Self.varintLength(engaged) + Self.varintLength(scroll)
            + Self.varintLength(context) + Self.varintLength(path) + Self.varintLength(referrer)
        // Exact growth for the few events most visitors hold; geometric past that, so a
        // visitor holding many events is not copied on every append.
        let needed = bytes.count + Self.varintLength(UInt64(bodyLength)) + bodyLength
        if needed > bytes.capacity { bytes.reserveCapacity(needed <= 256 ? needed : needed + needed / 2) }
        lastStart = Int32(bytes.count)
        Self.appendVarint(UInt64(bodyLength), to: &bytes)
        bytes.append(Self.typeCode(event.type))
        Self.appendText(id, to: &bytes)
        Self.appendText(pageLoadID, to: &bytes)
        Self.appendVarint(delta, to: &bytes)
        Self.appendVarint(engaged, to: &bytes)
        Self.appendVarint(scroll, to: &bytes)
        Self.appendVarint(context, to: &bytes)
        Self.appendVarint(path, to: &bytes)
        Self.appendVarint(referrer, to: &bytes)
        lastTimestamp = event.timestamp
        eventCount += 1
    }

    /// The events, decoded, in (time, id) order.
    /// - Parameter texts: the interner whose text numbers the events were appended with.
    func decoded(texts: Interner) -> [FoldedEvent] {
        var events: [FoldedEvent] = []
        events.reserveCapacity(count)
        forEachRecord { record in
            events.append(
                FoldedEvent(
                    id: text(record.id), type: record.type, timestamp: record.timestamp,
                    path: texts.text(record.path), pathNumber: record.path, referrer: texts.text(record.referrer),
                    referrerNumber: record.referrer, pageLoadID: text(record.pageLoadID), engagedMs: record.engagedMs,
                    maxScrollPercent: record.maxScrollPercent,
                    context: record.context == 0 ? nil : contexts[record.context - 1]))
            return true
        }
        return events
    }

    /// Releases the events before `timestamp` (milliseconds since the epoch) but the beacons
    /// `keepsBeacon` keeps (given its page load id and timestamp). The contexts only released
    /// events held stay until the visitor's last event is released.
    mutating func removeAll(before timestamp: Int64, keepingBeacons keepsBeacon: (String, Int64) -> Bool) {
        var kept: [UInt8] = []
        var offset = 0, previous: Int64 = 0, keptPrevious: Int64 = 0, seen: Int32 = 0, keptCount: Int32 = 0
        var keptLastStart = 0
        while offset < bytes.count {
            let record = record(at: offset, previousTimestamp: previous)
            if record.timestamp >= timestamp {
                // This and every later event are kept; only this one's timestamp is stored
                // relative to another event than before.
                guard seen > 0 else { return }
                let start = kept.count
                appendRecord(record, after: keptPrevious, to: &kept)
                let shift = record.end - kept.count
                kept += bytes[record.end...]
                keptLastStart = Int(lastStart) == offset ? start : Int(lastStart) - shift
                keptCount += eventCount - seen
                keptPrevious = lastTimestamp
                break
            }
            if record.type != .pageview, keepsBeacon(text(record.pageLoadID), record.timestamp) {
                keptLastStart = kept.count
                appendRecord(record, after: keptPrevious, to: &kept)
                keptPrevious = record.timestamp
                keptCount += 1
            }
            seen += 1
            previous = record.timestamp
            offset = record.end
        }
        guard keptCount > 0 else {
            self = HeldEvents()
            return
        }
        bytes = kept
        eventCount = keptCount
        lastStart = Int32(keptLastStart)
        lastTimestamp = keptPrevious
    }

    /// Appends `record` to `buffer` with its timestamp stored relative to `previous`.
    private func appendRecord(_ record: Record, after previous: Int64, to buffer: inout [UInt8]) {
        let delta = Self.zigzag(record.timestamp &- previous)
        let stored = record.timestampBytes
        let bodyLength = (stored.lowerBound - record.body) + Self.varintLength(delta) + (record.end - stored.upperBound)
        Self.appendVarint(UInt64(bodyLength), to: &buffer)
        buffer += bytes[record.body..<stored.lowerBound]
        Self.appendVarint(delta, to: &buffer)
        buffer += bytes[stored.upperBound..<record.end]
    }

    /// Marks in `used` (indexed by text number) the paths and referrers the events hold.
    func markTexts(_ used: inout [Bool]) {
        forEachRecord { record in
            used[Int(record.path)] = true
            used[Int(record.referrer)] = true
            return true
        }
    }

    /// The ids of the events held.
    var ids: [String] {
        var ids: [String] = []
        ids.reserveCapacity(count)
        forEachRecord { record in
            ids.append(text(record.id))
            return true
        }
        return ids
    }

    /// Whether an event with this id is held.
    func contains(id: String) -> Bool {
        var found = false
        forEachKey { key in
            found = matches(key.id, id)
            return !found
        }
        return found
    }

    /// Whether `event` comes before the last event held in the fold order (time, then id).
    func lastFollows(_ event: FoldedEvent) -> Bool {
        guard !isEmpty, event.timestamp <= lastTimestamp else { return false }
        guard event.timestamp == lastTimestamp else { return true }
        return event.id < text(key(at: Int(lastStart)).id)
    }

    /// Whether beacons of `pageLoadID` are held but no page view of it.
    func holdsOnlyBeacons(of pageLoadID: String) -> Bool {
        var beaconFound = false, viewFound = false
        forEachKey { key in
            guard matches(key.pageLoadID, pageLoadID) else { return true }
            if key.type == .pageview { viewFound = true } else { beaconFound = true }
            return !viewFound
        }
        return beaconFound && !viewFound
    }

    // MARK: Records

    /// What identifies an encoded event: its type, id and page load id (as byte ranges), and
    /// where its body (after the length), the rest of it and the next event start.
    private struct Key {
        var type: EventType
        var id: Range<Int>
        var pageLoadID: Range<Int>
        var body: Int
        var rest: Int
        var end: Int
    }

    /// One encoded event: its key and its numbers decoded.
    private struct Record {
        var key: Key
        var timestamp: Int64
        /// Where the timestamp (relative to the previous event's) is stored.
        var timestampBytes: Range<Int>
        var engagedMs: Int64
        var maxScrollPercent: Int
        var context: Int
        /// Text numbers (``Interner/text(_:)``).
        var path: UInt32
        var referrer: UInt32

        var type: EventType { key.type }
        var id: Range<Int> { key.id }
        var pageLoadID: Range<Int> { key.pageLoadID }
        var body: Int { key.body }
        var end: Int { key.end }
    }

    /// Calls `body` with each event's key in order until it returns false.
    private func forEachKey(_ body: (Key) -> Bool) {
        var offset = 0
        while offset < bytes.count {
            let key = key(at: offset)
            guard body(key) else { return }
            offset = key.end
        }
    }

    /// Calls `body` with each record in order until it returns false.
    private func forEachRecord(_ body: (Record) -> Bool) {
        var offset = 0, timestamp: Int64 = 0
        while offset < bytes.count {
            let record = record(at: offset, previousTimestamp: timestamp)
            guard body(record) else { return }
            offset = record.end
            timestamp = record.timestamp
        }
    }

    private func key(at start: Int) -> Key {
        var offset = start
        let length = Int(Self.varint(bytes, &offset))
        let body = offset
        let type = Self.types[Int(bytes[offset])]
        offset += 1
        let id = textRange(&offset), pageLoadID = textRange(&offset)
        return Key(type: type, id: id, pageLoadID: pageLoadID, body: body, rest: offset, end: body + length)
    }

    private func record(at start: Int, previousTimestamp: Int64) -> Record {
        let key = key(at: start)
        var offset = key.rest
        let timestamp = previousTimestamp &+ Self.zigzag(Self.varint(bytes, &offset))
        let timestampBytes = key.rest..<offset
        let engagedMs = Self.zigzag(Self.varint(bytes, &offset))
        let scroll = Self.zigzag(Self.varint(bytes, &offset))
        let context = Int(Self.varint(bytes, &offset))
        let path = UInt32(truncatingIfNeeded: Self.varint(bytes, &offset))
        let referrer = UInt32(truncatingIfNeeded: Self.varint(bytes, &offset))
        return Record(
            key: key, timestamp: timestamp, timestampBytes: timestampBytes, engagedMs: engagedMs,
            maxScrollPercent: Int(scroll), context: context, path: path, referrer: referrer)
    }

    /// The range of the length-prefixed text at `offset`, which moves past it.
    private func textRange(_ offset: inout Int) -> Range<Int> {
        let length = Int(Self.varint(bytes, &offset))
        defer { offset += length }
        return offset..<offset + length
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    private func matches(_ range: Range<Int>, _ text: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == range.count else { return false }
        return utf8.withContiguousStorageIfAvailable { $0.elementsEqual(bytes[range]) } ?? utf8.elementsEqual(bytes[range])
    }

    // MARK: Encoding

    private static let types = EventType.allCases

    private static func typeCode(_ type: EventType) -> UInt8 {
        UInt8(types.firstIndex(of: type)!)
    }

    private static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    private static func zigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Bytes of `value` as a LEB128 varint.
    private static func varintLength(_ value: UInt64) -> Int {
        (64 - value.leadingZeroBitCount + 6) / 7 + (value == 0 ? 1 : 0)
    }

    private static func appendText(_ text: String.UTF8View, to bytes: inout [UInt8]) {
        appendVarint(UInt64(text.count), to: &bytes)
        bytes.append(contentsOf: text)
    }

    private static func varint(_ bytes: [UInt8], _ offset: inout Int) -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            guard byte >= 0x80 else { return value }
            shift += 7
        }
    }
}
