import FootfallCore
import Testing

@Suite struct BeaconParserTests {
    let parser = BeaconParser()

    func parse(_ json: String) throws(BeaconError) -> [Beacon] {
        try parser.parse(Array(json.utf8))
    }

    @Test func parsesOnePageviewWithShortKeys() throws {
        let beacons = try parse("""
            {"s":"s_abc","t":"pageview","id":"e1","u":"https://acme.com/pricing?x=1","r":"https://google.com/",
             "p":"pl1","sw":1920,"sh":1080,"vw":1200,"vh":800,"l":"de-DE","tz":"Europe/Berlin","spa":true}
            """)
        #expect(beacons.count == 1)
        let beacon = try #require(beacons.first)
        #expect(beacon.siteKey == "s_abc")
        #expect(beacon.type == .pageview)
        #expect(beacon.url == "https://acme.com/pricing?x=1")
        #expect(beacon.referrer == "https://google.com/")
        #expect(beacon.screen == ScreenSize(width: 1920, height: 1080, viewportWidth: 1200, viewportHeight: 800))
        #expect(beacon.language == "de-DE")
        #expect(beacon.isSPANavigation)
    }

    @Test func parsesBatchesInOrder() throws {
        let beacons = try parse("""
            {"batch":[{"s":"k","t":"pageview","id":"a","u":"https://x.io/"},
                      {"s":"k","t":"engagement","id":"b","u":"https://x.io/","e":5300,"sc":80},
                      {"s":"k","t":"custom","id":"c","u":"https://x.io/","n":"Signup","pr":{"plan":"pro","seats":3}}]}
            """)
        #expect(beacons.map(\.id) == ["a", "b", "c"])
        #expect(beacons[1].engagedMs == 5300)
        #expect(beacons[1].maxScrollPercent == 80)
        #expect(beacons[2].customProps == #"{"plan":"pro","seats":3}"#)
    }

    @Test func geoEventsCarryTheirReading() throws {
        let beacon = try #require(try parse(#"{"s":"k","t":"geo","id":"g","u":"https://x.io/","lat":52.5,"lon":13.4,"acc":30}"#).first)
        #expect(beacon.geo == GeoReading(latitude: 52.5, longitude: 13.4, accuracy: 30))
    }

    @Test(arguments: [
        ("", BeaconError.emptyBody),
        ("{bad", .malformedJSON),
        ("[1,2]", .notAnObject),
        ("null", .notAnObject),
        (#""x""#, .notAnObject),
        (#"{"s":"k","t":"pageview","id":"nu\u00001","u":"https://x.io/"}"#, .nulCharacter("id")),
        (#"{"s":"k","t":"pageview","id":"a","u":"https://x.io/\u0000x"}"#, .nulCharacter("u")),
        (#"{"batch":[]}"#, .emptyBatch),
        (#"{"t":"pageview","id":"a","u":"https://x.io/"}"#, .missingField("s")),
        (#"{"s":"k","t":"hover","id":"a","u":"https://x.io/"}"#, .invalidField("t")),
        (#"{"s":"k","t":"pageview","id":"a","u":"javascript:alert(1)"}"#, .invalidField("u")),
        (#"{"s":"k","t":"pageview","id":"a","u":"https://x.io/","sw":-1}"#, .invalidField("sw")),
        (#"{"s":"k","t":"pageview","id":"a","u":"https://x.io/","sc":101}"#, .invalidField("sc")),
        (#"{"s":"k","t":"pageview","id":"a","u":"https://x.io/","sw":"wide"}"#, .invalidField("sw")),
        (#"{"s":"k","t":"custom","id":"a","u":"https://x.io/"}"#, .missingField("n")),
        (#"{"s":"k","t":"geo","id":"a","u":"https://x.io/","lat":91,"lon":0,"acc":1}"#, .invalidField("lat")),
        (#"{"s":"k","t":"custom","id":"a","u":"https://x.io/","n":"x","pr":{"a":{"nested":1}}}"#, .invalidField("pr")),
    ])
    func rejectsBadBeaconsWithTheirReason(body: String, expected: BeaconError) {
        #expect(throws: expected) { try parse(body) }
    }

    @Test func rejectsBatchesOverTheLimit() {
        let event = #"{"s":"k","t":"pageview","id":"a","u":"https://x.io/"}"#
        let body = #"{"batch":["# + Array(repeating: event, count: BeaconParser.maxBatchEvents + 1).joined(separator: ",") + "]}"
        #expect(throws: BeaconError.tooManyEvents(limit: BeaconParser.maxBatchEvents)) { try parse(body) }
    }

    @Test func webDriverFlagIsOptional() throws {
        let base = #"{"s":"k","t":"pageview","id":"a","u":"https://x.io/""#
        #expect(try parse(base + "}")[0].isWebDriver == false)
        #expect(try parse(base + #","wd":true}"#)[0].isWebDriver)
        #expect(try parse(base + #","wd":false}"#)[0].isWebDriver == false)
        #expect(throws: BeaconError.invalidField("wd")) { try parse(base + #","wd":"yes"}"#) }
    }
}

@Suite struct PixelBeaconTests {
    @Test func queryItemsParseLikeJSONFieldsWithDefaults() throws {
        let beacon = try BeaconParser().parse(queryItems: ["s": "k", "u": "https://x.io/a", "sw": "1280", "sc": "40"])
        #expect(beacon.type == .pageview)
        #expect(beacon.screen.width == 1280)
        #expect(beacon.maxScrollPercent == 40)
        #expect(!beacon.id.isEmpty)
    }

    @Test func flagsParseFromOneOrTrue() throws {
        let beacon = try BeaconParser().parse(queryItems: ["s": "k", "u": "https://x.io/", "spa": "1", "wd": "false"])
        #expect(beacon.isSPANavigation)
        #expect(!beacon.isWebDriver)
        #expect(throws: BeaconError.invalidField("spa")) {
            try BeaconParser().parse(queryItems: ["s": "k", "u": "https://x.io/", "spa": "yes"])
        }
    }

    @Test func nonNumericNumbersAreRejected() {
        #expect(throws: BeaconError.invalidField("sw")) {
            try BeaconParser().parse(queryItems: ["s": "k", "u": "https://x.io/", "sw": "wide"])
        }
    }
}
