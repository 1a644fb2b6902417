@testable import FootfallCore
import Foundation
import Testing

/// The beacon JSON reader against Foundation's `JSONSerialization`, the reader it replaced:
/// on real beacons, on thousands of seeded mutations of them and on the grammar's corners,
/// both accept the same texts and read the same values.
@Suite struct BeaconJSONTests {
    static let beacons = [
        #"{"s":"s_abc","t":"pageview","id":"e1","u":"https://acme.com/pricing?x=1","r":"https://google.com/","p":"pl1","sw":1920,"sh":1080,"vw":1200,"vh":800,"l":"de-DE","tz":"Europe/Berlin","spa":true}"#,
        #"{"batch":[{"s":"k","t":"pageview","id":"a","u":"https://x.io/"},{"s":"k","t":"engagement","id":"b","u":"https://x.io/","e":5300,"sc":80.5}]}"#,
        #"{"s":"k","t":"custom","id":"c","u":"https://x.io/caf\u00e9","n":"Sign\/up \ud83d\ude00","pr":{"plan":"pro","seats":3,"trial":false,"ratio":-1.5e-3,"x":null}}"#,
        " \n{ \"s\" : \"k\" , \"t\":\"geo\",\"id\":\"g\",\"u\":\"https://x.io/Zürich\",\"lat\":47.37,\"lon\":8.54,\"acc\":1E2 }\t\r\n",
    ]

    /// Foundation's reading, in this reader's terms; nil when Foundation refuses the text.
    static func foundation(_ bytes: [UInt8]) -> BeaconJSON? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else { return nil }
        return value(object)
    }

    static func value(_ object: Any) -> BeaconJSON {
        switch object {
        case is NSNull: return .null
        case let text as String: return .string(text)
        case let number as NSNumber:
            return number.objCType.pointee == CChar(UInt8(ascii: "c")) ? .bool(number.boolValue) : .number(number.doubleValue)
        case let array as [Any]: return .array(array.map(value))
        case let object as [String: Any]: return .object(object.mapValues(value))
        default: Issue.record("unexpected \(type(of: object))"); return .null
        }
    }

    static func agree(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let ours = try? BeaconJSON.parse(bytes)
        let theirs = foundation(bytes)
        #expect(ours == theirs, "\(String(decoding: bytes, as: UTF8.self).debugDescription)", sourceLocation: sourceLocation)
    }

    @Test func realBeaconsReadAsFoundationReadsThem() throws {
        for beacon in Self.beacons {
            let value = try BeaconJSON.parse(Array(beacon.utf8))
            #expect(value == Self.foundation(Array(beacon.utf8)))
            guard case .object = value else { Issue.record("not an object: \(beacon)"); continue }
        }
        let custom = try BeaconJSON.parse(Array(Self.beacons[2].utf8))
        guard case .object(let fields) = custom else { return }
        #expect(fields["n"] == .string("Sign/up 😀"))
        #expect(fields["u"] == .string("https://x.io/café"))
    }

    @Test(arguments: 0..<4) func mutatedBeaconsAreAcceptedAndReadAsFoundationDoes(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed + 1) &* 0x9E37)
        // Bytes that matter to the grammar, and some that break UTF-8 or strings.
        let alphabet = Array(#"{}[]:,"\/0123456789.eE+-tfnulrsabu "#.utf8) + [0x00, 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xED, 0xF0, 0xFF]
        var accepted = 0
        for _ in 0..<2_500 {
            var bytes = Array(Self.beacons[Int.random(in: 0..<Self.beacons.count, using: &random)].utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(alphabet.randomElement(using: &random)!, at: at)
                case 2: bytes[at] = alphabet.randomElement(using: &random)!
                default: bytes = Array(bytes[..<at])
                }
                if bytes.isEmpty { bytes = [0x20] }
            }
            // Foundation reads a text starting with a NUL byte as UTF-16 or UTF-32; beacons are UTF-8.
            if bytes.prefix(4).contains(0) { continue }
            Self.agree(bytes)
            if (try? BeaconJSON.parse(bytes)) != nil { accepted += 1 }
        }
        #expect(accepted > 100, "the mutations also produce valid texts, so acceptance is compared, not only refusal")
    }

    @Test func grammarCornersAreReadAsFoundationReadsThem() {
        let texts = [
            "", " ", "{}", "[]", "[1,]", "{\"a\":1,}", "[,]", "[1,,]", "{\"a\":1,,}", "[1 ,\n]", "{,}", "[,1]", "{\"a\" 1}", "{\"a\":}", "{1:2}", "{'a':1}",
            "01", "-01", "-", "1.", ".5", "1e", "1e+", "+1", "-0", "0.0e0", "1E400", "-1e400", "1e-400", "123456789012345678901234567890",
            "9007199254740993", "0.1", "2.5e-3", "tru", "true", "nul", "null", "falsey", "\"a\"", "\"a", "\"\\x\"", "\"\\u12\"",
            "\"\\u00e9\"", "\"\\uD83D\"", "\"\\uDE00\"", "\"\\uD83D\\uDE00\"", "\"\\uD83Dx\"", "\"\\uD83D\\u0041\"", "\"\\u0000\"",
            "\"tab\there\"", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "[1 2]", "{\"a\":1 \"b\":2}", "{\"a\":1}{}", "{\"a\":1} x",
            "{\"a\":1,\"a\":2}", "[[[]]]", "{\"a\":{\"b\":[true,false,null]}}", "\u{FEFF}{}", "[\"é😀\"]", "/* c */{}",
        ]
        for text in texts { Self.agree(Array(text.utf8)) }
        for bytes: [UInt8] in [[0x22, 0xC3, 0x22], [0x22, 0xFF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22], [0x22, 0x7F, 0x22]] {
            Self.agree(bytes)
        }
    }

    @Test func nestingIsReadToFoundationsDepthAndRefusedPastIt() {
        for depth in [1, 100, 511, 512, 513, 4_000] {
            Self.agree(Array(String(repeating: "[", count: depth).utf8) + Array(String(repeating: "]", count: depth).utf8))
            Self.agree(Array(String(repeating: "{\"a\":", count: depth).utf8) + [UInt8(ascii: "1")] + Array(String(repeating: "}", count: depth).utf8))
        }
        #expect((try? BeaconJSON.parse(Array((String(repeating: "[", count: 512) + String(repeating: "]", count: 512)).utf8))) != nil)
        #expect((try? BeaconJSON.parse(Array((String(repeating: "[", count: 513) + String(repeating: "]", count: 513)).utf8))) == nil)
    }
}
