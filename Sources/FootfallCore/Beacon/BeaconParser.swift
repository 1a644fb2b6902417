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
        let root: BeaconJSON
        do {
            root = try BeaconJSON.parse(body)
        } catch {
            throw .malformedJSON
        }
        // Any other JSON value (`null`, `"x"`) is reported as not an object, not as bad JSON.
        guard case .object(let fields) = root else { throw .notAnObject }
        if let batch = fields["batch"] {
            guard case .array(let events) = batch else { throw .invalidField("batch") }
            if events.isEmpty { throw .emptyBatch }
            if events.count > Self.maxBatchEvents { throw .tooManyEvents(limit: Self.maxBatchEvents) }
            var beacons: [Beacon] = []
            beacons.reserveCapacity(events.count)
            for event in events {
                guard case .object(let fields) = event else { throw .invalidField("batch[]") }
                beacons.append(try beacon(from: fields))
            }
            return beacons
        }
        return [try beacon(from: fields)]
    }

    /// Parses the query string of a `GET /e.gif` pixel hit (the no-JavaScript fallback):
    /// the same short keys as the JSON body, one event per request. A missing `id` is
    /// generated, since an image request carries no client id.
    public func parse(queryItems: [String: String]) throws(BeaconError) -> Beacon {
        var fields: [String: BeaconJSON] = [:]
        for (key, value) in queryItems {
            if Self.numericFields[key] != nil {
                guard let number = Double(value) else { throw .invalidField(key) }
                fields[key] = .number(number)
            } else if Self.booleanKeys.contains(key) {
                switch value {
                case "1", "true": fields[key] = .bool(true)
                case "0", "false", "": fields[key] = .bool(false)
                default: throw .invalidField(key)
                }
            } else {
                fields[key] = .string(value)
            }
        }
        if fields["t"] == nil { fields["t"] = .string(EventType.pageview.rawValue) }
        if fields["id"] == nil { fields["id"] = .string(UUID().uuidString) }
        return try beacon(from: fields)
    }

    static let booleanKeys: Set<String> = ["spa", "wd"]

    func beacon(from fields: [String: BeaconJSON]) throws(BeaconError) -> Beacon {
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
    let fields: [String: BeaconJSON]

    func requiredString(_ key: String, maxLength: Int) throws(BeaconError) -> String {
        guard fields[key] != nil else { throw .missingField(key) }
        let value = try string(key, maxLength: maxLength)
        if value.isEmpty { throw .missingField(key) }
        return value
    }

    func string(_ key: String, maxLength: Int) throws(BeaconError) -> String {
        switch fields[key] {
        case nil, .null: return ""
        case .string(let value) where value.utf8.count <= maxLength:
            if value.utf8.contains(0) { throw .nulCharacter(key) }
            return value
        default: throw .invalidField(key)
        }
    }

    /// A whole number in the field's ``BeaconParser/numericFields`` range (fractions are truncated); 0 when absent.
    func int(_ key: String) throws(BeaconError) -> Int {
        switch fields[key] {
        case nil, .null: return 0
        case let raw?: return Int(try number(key, raw))
        }
    }

    /// A number in the field's ``BeaconParser/numericFields`` range. JSON `true`/`false` are not numbers.
    func number(_ key: String, _ raw: BeaconJSON) throws(BeaconError) -> Double {
        guard let range = BeaconParser.numericFields[key], case .number(let number) = raw, range.contains(number) else {
            throw .invalidField(key)
        }
        return number
    }

    /// `true`/`false`, or the numbers 1/0; false when absent.
    func bool(_ key: String) throws(BeaconError) -> Bool {
        switch fields[key] {
        case nil, .null: return false
        case .bool(let value): return value
        case .number(let number) where number == 0 || number == 1: return number == 1
        default: throw .invalidField(key)
        }
    }

    func double(_ key: String) throws(BeaconError) -> Double {
        guard let raw = fields[key] else { throw .missingField(key) }
        return try number(key, raw)
    }

    func geo() throws(BeaconError) -> GeoReading {
        GeoReading(latitude: try double("lat"), longitude: try double("lon"), accuracy: try double("acc"))
    }

    /// Custom properties: an object of at most 30 string/number/bool values, re-encoded compactly
    /// with sorted keys (by `JSONSerialization`: custom events with properties are rare).
    func props(_ key: String) throws(BeaconError) -> String {
        switch fields[key] {
        case nil, .null: return ""
        case .object(let object) where object.count <= 30:
            var values: [String: Any] = [:]
            for (name, value) in object {
                guard name.utf8.count <= 64 else { throw .invalidField(key) }
                switch value {
                case .string(let text): values[name] = text
                case .bool(let flag): values[name] = NSNumber(value: flag)
                // Whole numbers are written without a fraction, as they arrived.
                case .number(let number) where number.rounded() == number && abs(number) < 0x1p53:
                    values[name] = NSNumber(value: Int64(number))
                case .number(let number): values[name] = NSNumber(value: number)
                default: throw .invalidField(key)
                }
            }
            guard let data = try? JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]) else {
                throw .invalidField(key)
            }
            return String(decoding: data, as: UTF8.self)
        default: throw .invalidField(key)
        }
    }
}
