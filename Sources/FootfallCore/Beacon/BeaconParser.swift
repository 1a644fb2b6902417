import Foundation

/// Parses and validates beacon bodies: one event object or `{"batch":[...]}`.
public struct BeaconParser: Sendable {
    /// Largest accepted body, bytes (DESIGN: beacons are ≤ 8 KB).
    public static let maxBodyBytes = 8 * 1024
    /// Most events in one batch.
    public static let maxBatchEvents = 50
    static let maxIDLength = 64
    /// Longest URL a field may carry before it is shortened: far above what browsers send
    /// (a pixel's query string has no body cap); longer is refused as no URL at all.
    static let maxURLBytes = 64 * 1024
    static let maxTextLength = 256

    /// Every numeric field and its accepted range, in `/e` and `/e.gif` alike. Screen sizes are
    /// CSS pixels; `e` is engaged time in ms (at most a day); `sc` is the deepest scroll, 0–100
    /// percent; `lat`/`lon` are degrees and `acc` metres (the Geolocation API's units).
    public static let numericFields: [String: ClosedRange<Double>] = [
        "sw": 0...100_000, "sh": 0...100_000, "vw": 0...100_000, "vh": 0...100_000,
        "e": 0...86_400_000, "sc": 0...100, "lat": -90...90, "lon": -180...180, "acc": 0...1_000_000,
    ]

    public init() {}

    /// Parses a beacon body into validated beacons.
    /// - Throws: ``BeaconError`` naming the first problem found.
    public func parse(_ body: [UInt8]) throws(BeaconError) -> [Beacon] {
        if body.isEmpty { throw .emptyBody }
        let object: Any
        do {
            // Fragments parse, so `null` or `"x"` is reported as not an object, not as bad JSON.
            object = try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
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
            if Self.numericFields[key] != nil {
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

    static let booleanKeys: Set<String> = ["spa", "wd"]

    func beacon(from fields: [String: Any]) throws(BeaconError) -> Beacon {
        let reader = FieldReader(fields: fields)
        let siteKey = try reader.requiredString("s", maxLength: Self.maxIDLength)
        guard let type = EventType(rawValue: try reader.requiredString("t", maxLength: 16)) else {
            throw .invalidField("t")
        }
        let id = try reader.requiredString("id", maxLength: Self.maxIDLength)
        // URLs are never refused for their length (the body cap bounds them): over-long ones are shortened.
        let url = try reader.requiredString("u", maxLength: Self.maxURLBytes)
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw .invalidField("u") }
        let referrer = try reader.string("r", maxLength: Self.maxURLBytes)
        let clickTarget = try reader.string("ct", maxLength: Self.maxURLBytes)
        var beacon = Beacon(siteKey: siteKey, type: type, id: id, url: URLShortening.shortened(url))
        beacon.referrer = URLShortening.shortened(referrer)
        beacon.clickTarget = URLShortening.shortened(clickTarget)
        beacon.shortenedFields = [("u", url), ("r", referrer), ("ct", clickTarget)]
            .filter { $0.1.utf8.count > URLShortening.maxLength }.map { $0.0 }
        beacon.pageLoadID = try reader.string("p", maxLength: Self.maxIDLength)
        beacon.isSPANavigation = try reader.bool("spa")
        beacon.screen = ScreenSize(
            width: try reader.int("sw"), height: try reader.int("sh"),
            viewportWidth: try reader.int("vw"), viewportHeight: try reader.int("vh"))
        beacon.language = try reader.string("l", maxLength: 35)
        beacon.timeZone = try reader.string("tz", maxLength: 64)
        beacon.engagedMs = Int64(try reader.int("e"))
        beacon.maxScrollPercent = try reader.int("sc")
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
        if value.utf8.contains(0) { throw .nulCharacter(key) }
        return value
    }

    /// A whole number in the field's ``BeaconParser/numericFields`` range (fractions are truncated); 0 when absent.
    func int(_ key: String) throws(BeaconError) -> Int {
        guard let raw = fields[key], !(raw is NSNull) else { return 0 }
        return Int(try number(key, raw))
    }

    /// A number in the field's ``BeaconParser/numericFields`` range. JSON `true`/`false` are not numbers.
    func number(_ key: String, _ raw: Any) throws(BeaconError) -> Double {
        guard let range = BeaconParser.numericFields[key], let number = raw as? NSNumber, !Self.isJSONBoolean(raw),
              range.contains(number.doubleValue) else { throw .invalidField(key) }
        return number.doubleValue
    }

    /// Whether a decoded JSON value was `true`/`false`. On Linux, Foundation's JSONSerialization
    /// hands numbers over as NSNumber that also cast to Bool when they are 0 or 1, so `is Bool`
    /// cannot tell them apart; the boxed C type can (`c` is a boolean, numbers are `q` or `d`).
    static func isJSONBoolean(_ raw: Any) -> Bool {
        if type(of: raw) == Bool.self { return true }
        guard let number = raw as? NSNumber else { return false }
        return number.objCType.pointee == CChar(UInt8(ascii: "c"))
    }

    func bool(_ key: String) throws(BeaconError) -> Bool {
        guard let raw = fields[key], !(raw is NSNull) else { return false }
        if let value = raw as? Bool { return value }
        if let number = raw as? NSNumber, number == 0 || number == 1 { return number == 1 }
        throw .invalidField(key)
    }

    func double(_ key: String) throws(BeaconError) -> Double {
        guard let raw = fields[key] else { throw .missingField(key) }
        return try number(key, raw)
    }

    func geo() throws(BeaconError) -> GeoReading {
        GeoReading(latitude: try double("lat"), longitude: try double("lon"), accuracy: try double("acc"))
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
