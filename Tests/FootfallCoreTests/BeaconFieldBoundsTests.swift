import FootfallCore
import Foundation
import Testing

/// Every numeric beacon field accepts every value of its documented range — including the
/// `0`, `1` and `0.0` that Linux Foundation's JSON layer hands over as boolean-castable
/// numbers — and refuses values just outside it, in `/e` bodies and `/e.gif` queries alike.
@Suite struct BeaconFieldBoundsTests {
    let parser = BeaconParser()

    static let fields = BeaconParser.numericFields.keys.sorted()

    /// A beacon whose `field` is `value` (JSON text); geo fields go into a complete geo event.
    func json(_ field: String, _ value: String) -> String {
        let geo = ["lat", "lon", "acc"].contains(field)
        var body = #"{"s":"k","t":"\#(geo ? "geo" : "engagement")","id":"a","u":"https://x.io/","p":"pl""#
        if geo { for other in ["lat", "lon", "acc"] where other != field { body += #","\#(other)":0"# } }
        return body + #","\#(field)":\#(value)}"#
    }

    func value(of field: String, in beacon: Beacon) -> Double {
        switch field {
        case "sw": Double(beacon.screen.width)
        case "sh": Double(beacon.screen.height)
        case "vw": Double(beacon.screen.viewportWidth)
        case "vh": Double(beacon.screen.viewportHeight)
        case "e": Double(beacon.engagedMs)
        case "sc": Double(beacon.maxScrollPercent)
        case "lat": beacon.geo?.latitude ?? .nan
        case "lon": beacon.geo?.longitude ?? .nan
        case "acc": beacon.geo?.accuracy ?? .nan
        default: .nan
        }
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() ? String(Int(number)) : String(number)
    }

    @Test(arguments: fields)
    func acceptsEveryValueInRange(field: String) throws {
        let range = try #require(BeaconParser.numericFields[field])
        let isGeo = ["lat", "lon", "acc"].contains(field)
        let values = Set([range.lowerBound, range.upperBound, 0, 1, (range.upperBound / 2).rounded()]).filter(range.contains)
        for number in values.sorted() {
            for text in [Self.format(number), Self.format(number) + ".0"] {
                let beacon = try #require(try parser.parse(Array(json(field, text).utf8)).first, "\(field)=\(text)")
                #expect(value(of: field, in: beacon) == number, "\(field)=\(text)")
            }
            var query = ["s": "k", "t": isGeo ? "geo" : "engagement", "u": "https://x.io/", "p": "pl", field: Self.format(number)]
            if isGeo { for other in ["lat", "lon", "acc"] where query[other] == nil { query[other] = "0" } }
            let pixel = try parser.parse(queryItems: query)
            #expect(value(of: field, in: pixel) == number, "pixel \(field)=\(number)")
        }
    }

    @Test(arguments: fields)
    func refusesValuesOutsideTheRangeAndBooleans(field: String) throws {
        let range = try #require(BeaconParser.numericFields[field])
        for text in [Self.format(range.lowerBound - 1), Self.format(range.upperBound + 1), "true", "false", #""7""#] {
            #expect(throws: BeaconError.invalidField(field), "\(field)=\(text)") {
                try parser.parse(Array(json(field, text).utf8))
            }
        }
        var query = ["s": "k", "u": "https://x.io/", field: Self.format(range.upperBound + 1)]
        if ["lat", "lon", "acc"].contains(field) {
            query["t"] = "geo"
            for other in ["lat", "lon", "acc"] where query[other] == nil { query[other] = "0" }
        }
        #expect(throws: BeaconError.invalidField(field)) { try parser.parse(queryItems: query) }
    }

    @Test func issueExamplesAreAccepted() throws {
        for body in [
            #"{"s":"k","t":"engagement","id":"a","u":"https://x.io/","p":"pl","e":0,"sc":0}"#,
            #"{"s":"k","t":"engagement","id":"a","u":"https://x.io/","p":"pl","e":1,"sc":1}"#,
            #"{"s":"k","t":"pageview","id":"a","u":"https://x.io/","sw":1,"sh":0.0}"#,
        ] {
            #expect(try parser.parse(Array(body.utf8)).count == 1, "\(body)")
        }
        let beacon = try parser.parse(Array(#"{"s":"k","t":"engagement","id":"a","u":"https://x.io/","e":1,"sc":1}"#.utf8))[0]
        #expect(beacon.engagedMs == 1 && beacon.maxScrollPercent == 1)
    }

    @Test func flagsAcceptBooleansAndZeroOrOne() throws {
        let base = #"{"s":"k","t":"pageview","id":"a","u":"https://x.io/","spa":"#
        #expect(try parser.parse(Array((base + "1}").utf8))[0].isSPANavigation)
        #expect(try parser.parse(Array((base + "0}").utf8))[0].isSPANavigation == false)
        #expect(try parser.parse(Array((base + "true}").utf8))[0].isSPANavigation)
        #expect(throws: BeaconError.invalidField("spa")) { try parser.parse(Array((base + "2}").utf8)) }
    }
}

/// Over-long URLs are shortened, never refused.
@Suite struct LongURLTests {
    let parser = BeaconParser()

    static let baiduReferrer = "https://www.baidu.com/link?url=" + String(repeating: "aB3xZ9", count: 380) + "&wd=footfall&eqid=9f1"

    @Test func aLongReferrerIsShortenedToOriginAndPath() throws {
        #expect(Self.baiduReferrer.utf8.count > 2_300)
        let body = #"{"s":"k","t":"pageview","id":"a","u":"https://x.io/","r":"\#(Self.baiduReferrer)"}"#
        let beacon = try #require(try parser.parse(Array(body.utf8)).first)
        #expect(beacon.referrer == "https://www.baidu.com/link")
        #expect(beacon.shortenedFields == ["r"])
    }

    @Test func aLongPageURLKeepsItsMarketingParameters() throws {
        let url = "https://x.io/landing?session=" + String(repeating: "z", count: 4000)
            + "&utm_source=newsletter&utm_medium=email&gclid=abc&utm_campaign=spring#section"
        let body = #"{"s":"k","t":"pageview","id":"a","u":"\#(url)"}"#
        let beacon = try #require(try parser.parse(Array(body.utf8)).first)
        #expect(beacon.url == "https://x.io/landing?utm_source=newsletter&utm_medium=email&gclid=abc&utm_campaign=spring")
        #expect(beacon.shortenedFields == ["u"])
        let pixel = try parser.parse(queryItems: ["s": "k", "u": url])
        #expect(pixel.url == beacon.url)
    }

    @Test func aPathLongerThanTheLimitIsCutOnACharacterBoundary() {
        let url = "https://x.io/" + String(repeating: "é", count: 1500)
        let short = URLShortening.shortened(url)
        #expect(short.utf8.count <= URLShortening.maxLength)
        #expect(short.utf8.count >= URLShortening.maxLength - 1)
        #expect(short.hasPrefix("https://x.io/éé") && short.hasSuffix("é"))
    }

    @Test func shortURLsAreUntouched() throws {
        let beacon = try parser.parse(Array(#"{"s":"k","t":"pageview","id":"a","u":"https://x.io/a?b=1#c"}"#.utf8))[0]
        #expect(beacon.url == "https://x.io/a?b=1#c")
        #expect(beacon.shortenedFields.isEmpty)
    }
}

/// One page, one stored path.
@Suite struct PagePathTests {
    @Test(arguments: [
        ("https://x.io/caf%C3%A9", "/café"), ("https://x.io/caf%c3%a9", "/café"), ("https://x.io/café", "/café"),
        ("https://x.io/cafe\u{301}", "/café"), ("https://x.io/a%2Fb", "/a%2Fb"), ("https://x.io/a%2fb", "/a%2Fb"),
        ("https://x.io/100%25", "/100%25"), ("https://x.io/%7Euser", "/~user"), ("https://x.io/my%20page", "/my%20page"),
        ("https://x.io/my page", "/my%20page"), ("https://x.io/bad%FF", "/bad%FF"), ("https://x.io/bad%ff", "/bad%FF"),
        ("https://x.io/", "/"), ("https://x.io", "/"), ("https://x.io/pricing?a=1#top", "/pricing"),
        ("https://x.io/%E6%97%A5%E6%9C%AC", "/日本"), ("https://x.io/50%", "/50%"),
    ])
    func pathsHaveOneCanonicalForm(url: String, expected: String) {
        #expect(PagePath.of(url: url, hashRouting: false) == expected)
    }

    @Test func theIssueSpellingsAreOnePage() {
        let paths = Set(["https://shop.example/caf%C3%A9", "https://shop.example/caf%c3%a9", "https://shop.example/café"]
            .map { PagePath.of(url: $0, hashRouting: false) })
        #expect(paths == ["/café"])
    }

    @Test(arguments: [
        ("https://shop3.example/#/settings", true, "/#/settings"), ("https://shop3.example/#/billing", true, "/#/billing"),
        ("https://shop3.example/app#!/users/7?tab=x", true, "/app#!/users/7"), ("https://shop3.example/#top", true, "/"),
        ("https://shop3.example/#/settings", false, "/"), ("https://shop3.example/#/caf%C3%A9", true, "/#/café"),
    ])
    func hashRoutedSitesKeepTheRoute(url: String, hashRouting: Bool, expected: String) {
        #expect(PagePath.of(url: url, hashRouting: hashRouting) == expected)
    }
}
