import Foundation

/// Parses and validates beacon bodies: one event object or `{"batch":[...]}`.
public struct BeaconParser: Sendable {
    /// Largest accepted body, bytes (DESIGN: beacons are ≤ 8 KB).
    public static let maxBodyBytes = 8 * 1024
    /// Most events in one batch.
    public static let maxBatchEvents = 50
    static let maxIDLength = 64
    static let maxURLLength = 2048
    static let maxTextLength = 256

    public init() {}

    /// Parses a beacon body into validated beacons.
    /// - Throws: ``BeaconError`` naming the first problem found.
    public func parse(_ body: [UInt8]) throws(BeaconError) -> [Beacon] {
        if body.isEmpty { throw .emptyBody }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body), options: [])
        } catch {
            throw .malformedJSON
        }
        guard let root = object as? [String: Any] else { throw .notAnObject }
        if let batch = root["batch"] {
            guard let events = batch as? [Any] else { throw .invalidField("batch") }
            if events.isEmpty { throw .emptyBatch }
            if events.count > Self.maxBatchEvents { throw .tooManyEvents(limit: Self.maxBatchEvents) }
            var beacons: [Beacon] = []
            beacons.reserveCapacity(events.count)
            for event in events {
                guard let fields = event as? [String: Any] else { throw .invalidField("batch[]") }
                beacons.append(try beacon(from: fields))
            }
            return beacons
        }
        return [try beacon(from: root)]
    }

    /// Parses the query string of a `GET /e.gif` pixel hit (the no-JavaScript fallback):
    /// the same short keys as the JSON body, one event per request. A missing `id` is
    /// generated, since an image request carries no client id.
    public func parse(queryItems: [String: String]) throws(BeaconError) -> Beacon {
        var fields: [String: Any] = [:]
        for (key, value) in queryItems {
            if Self.numericKeys.contains(key) {
                guard let number = Double(value) else { throw .invalidField(key) }
                fields[key] = NSNumber(value: number)
            } else if Self.booleanKeys.contains(key) {
                switch value {
                case "1", "true": fields[key] = true
                case "0", "false", "": fields[key] = false
                default: throw .invalidField(key)
                }
            } else {
                fields[key] = value
            }
        }
        if fields["t"] == nil { fields["t"] = EventType.pageview.rawValue }
        if fields["id"] == nil { fields["id"] = UUID().uuidString }
        return try beacon(from: fields)
    }

    static let numericKeys: Set<String> = ["sw", "sh", "vw", "vh", "e", "sc", "lat", "lon", "acc"]
    static let booleanKeys: Set<String> = ["spa", "wd"]

    func beacon(from fields: [String: Any]) throws(BeaconError) -> Beacon {
        let reader = FieldReader(fields: fields)
        let siteKey = try reader.requiredString("s", maxLength: Self.maxIDLength)
        guard let type = EventType(rawValue: try reader.requiredString("t", maxLength: 16)) else {
            throw .invalidField("t")
        }
        let id = try reader.requiredString("id", maxLength: Self.maxIDLength)
        let url = try reader.requiredString("u", maxLength: Self.maxURLLength)
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw .invalidField("u") }
        var beacon = Beacon(siteKey: siteKey, type: type, id: id, url: url)
        beacon.referrer = try reader.string("r", maxLength: Self.maxURLLength)
        beacon.pageLoadID = try reader.string("p", maxLength: Self.maxIDLength)
        beacon.isSPANavigation = try reader.bool("spa")
        beacon.screen = ScreenSize(
            width: try reader.int("sw", max: 100_000), height: try reader.int("sh", max: 100_000),
            viewportWidth: try reader.int("vw", max: 100_000), viewportHeight: try reader.int("vh", max: 100_000))
        beacon.language = try reader.string("l", maxLength: 35)
        beacon.timeZone = try reader.string("tz", maxLength: 64)
        beacon.engagedMs = Int64(try reader.int("e", max: 86_400_000))
        beacon.maxScrollPercent = try reader.int("sc", max: 100)
        beacon.clickTarget = try reader.string("ct", maxLength: Self.maxURLLength)
        beacon.customName = try reader.string("n", maxLength: Self.maxTextLength)
        beacon.customProps = try reader.props("pr")
        beacon.firstPartyID = try reader.string("fp", maxLength: Self.maxIDLength)
        beacon.isWebDriver = try reader.bool("wd")
        if type == .geo { beacon.geo = try reader.geo() }
        if type == .custom && beacon.customName.isEmpty { throw .missingField("n") }
        return beacon
    }
}

/// Typed, bounded access to one decoded JSON object's fields.
private struct FieldReader {
    let fields: [String: Any]

    func requiredString(_ key: String, maxLength: Int) throws(BeaconError) -> String {
        guard fields[key] != nil else { throw .missingField(key) }
        let value = try string(key, maxLength: maxLength)
        if value.isEmpty { throw .missingField(key) }
        return value
    }

    func string(_ key: String, maxLength: Int) throws(BeaconError) -> String {
        guard let raw = fields[key], !(raw is NSNull) else { return "" }
        guard let value = raw as? String, value.utf8.count <= maxLength else { throw .invalidField(key) }
        return value
    }

    func int(_ key: String, max: Int) throws(BeaconError) -> Int {
        guard let raw = fields[key], !(raw is NSNull) else { return 0 }
        guard let number = raw as? NSNumber, !(raw is Bool), number.doubleValue.isFinite,
              number.doubleValue >= 0, number.doubleValue <= Double(max) else { throw .invalidField(key) }
        return number.intValue
    }

    func bool(_ key: String) throws(BeaconError) -> Bool {
        guard let raw = fields[key], !(raw is NSNull) else { return false }
        if let value = raw as? Bool { return value }
        if let number = raw as? NSNumber, number == 0 || number == 1 { return number == 1 }
        throw .invalidField(key)
    }

    func double(_ key: String, range: ClosedRange<Double>) throws(BeaconError) -> Double {
        guard let raw = fields[key] else { throw .missingField(key) }
        guard let number = raw as? NSNumber, !(raw is Bool), range.contains(number.doubleValue) else {
            throw .invalidField(key)
        }
        return number.doubleValue
    }

    func geo() throws(BeaconError) -> GeoReading {
        GeoReading(
            latitude: try double("lat", range: -90...90), longitude: try double("lon", range: -180...180),
            accuracy: try double("acc", range: 0...1_000_000))
    }

    /// Custom properties: an object of at most 30 string/number/bool values, re-encoded compactly.
    func props(_ key: String) throws(BeaconError) -> String {
        guard let raw = fields[key], !(raw is NSNull) else { return "" }
        guard let object = raw as? [String: Any], object.count <= 30 else { throw .invalidField(key) }
        for (name, value) in object {
            guard name.utf8.count <= 64, value is String || value is NSNumber else { throw .invalidField(key) }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            throw .invalidField(key)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
