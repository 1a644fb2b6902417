import Foundation
import FootfallCore
import Testing

@Suite struct ClassificationTests {
    @Test(arguments: [
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
         "Chrome", "126", "Windows", DeviceClass.desktop),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
         "Safari", "17", "macOS", .desktop),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
         "Safari", "17", "iOS", .mobile),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.2535.67",
         "Edge", "125", "Windows", .desktop),
        ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
         "Samsung Internet", "24", "Android", .mobile),
        ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0", "Firefox", "127", "Linux", .desktop),
        ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1",
         "Safari", "17", "iPadOS", .tablet),
        ("Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
         "Chrome", "126", "Android", .tablet),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.40.107;FBBV/123]",
         "Facebook", "470", "iOS", .mobile),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 335.0.3.20.96 (iPhone14,5; iOS 17_5; en_US)",
         "Instagram", "335", "iOS", .mobile),
        ("Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 [LinkedInApp]/9.29.1",
         "LinkedIn", "9", "Android", .mobile),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 YaBrowser/24.6.0.0 Safari/537.36",
         "Yandex", "24", "Windows", .desktop),
        ("Mozilla/5.0 (Linux; U; Android 10; en-US; RMX1911) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36",
         "UC Browser", "13", "Android", .mobile),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Vivaldi/6.8",
         "Vivaldi", "6", "Windows", .desktop),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0",
         "Opera", "111", "Windows", .desktop),
        ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
         "Chrome", "126", "ChromeOS", .desktop),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) EdgiOS/126.0 Mobile/15E148 Safari/605.1.15",
         "Edge", "126", "iOS", .mobile),
        ("Mozilla/5.0 (Android 14; Mobile; rv:127.0) Gecko/127.0 Firefox/127.0", "Firefox", "127", "Android", .mobile),
    ])
    func classifiesCommonBrowsers(ua: String, browser: String, version: String, os: String, device: DeviceClass) {
        let info = UserAgentClassifier().classify(ua)
        #expect(info.browser == browser)
        #expect(info.browserVersion == version)
        #expect(info.os == os)
        #expect(info.device == device)
        #expect(!info.isBot)
    }

    @Test(arguments: [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "curl/8.5.0", "python-requests/2.31.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
    ])
    func flagsBots(ua: String) {
        let info = UserAgentClassifier().classify(ua)
        #expect(info.isBot)
        #expect(info.device == .bot)
    }

    @Test func desktopModeIPadIsATabletByItsScreen() {
        let macSafari = UserAgentClassifier().classify(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15")
        let iPad = macSafari.adjusted(for: ScreenSize(width: 1180, height: 820, viewportWidth: 1180, viewportHeight: 740))
        #expect(iPad.os == "iPadOS" && iPad.device == .tablet && iPad.browser == "Safari")
        #expect(macSafari.adjusted(for: ScreenSize(width: 1512, height: 982, viewportWidth: 1512, viewportHeight: 860)) == macSafari)
        #expect(macSafari.adjusted(for: .unknown) == macSafari)
        let macChrome = UserAgentClassifier().classify(
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36")
        #expect(macChrome.adjusted(for: ScreenSize(width: 1024, height: 1366, viewportWidth: 0, viewportHeight: 0)) == macChrome)
    }

    @Test func randomBytesNeverCrashAndOnlyBotsGetTheBotDevice() {
        var generator = SeededRandom(seed: 42)
        let classifier = UserAgentClassifier(cacheCapacity: 0)
        let referrers = ReferrerClassifier()
        let alphabet = Array("Mozilla/5.0 (;)[],:+._-/ abcXYZ019%?&=#@\u{0}é".utf8)
        for round in 0..<2_000 {
            let length = Int(generator.next() % 2_048)
            let bytes = (0..<length).map { _ in
                round.isMultiple(of: 2) ? UInt8(truncatingIfNeeded: generator.next()) : alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }
            let info = classifier.classify(utf8: bytes)
            #expect(info.device != .bot || info.isBot)
            let text = String(decoding: bytes, as: UTF8.self)
            _ = referrers.classify(url: "https://acme.com/?" + text, referrer: "https://" + text, siteDomains: ["acme.com"])
        }
    }

    @Test func emptyAndHugeUserAgentsAreOther() {
        #expect(UserAgentClassifier().classify("") == .unknown)
        #expect(UserAgentClassifier().classify(String(repeating: "(", count: 10_000)).browser == "Other")
    }

    @Test(arguments: [
        ("https://acme.com/", "https://www.google.com/", TrafficSource.Medium.search, "Google", ""),
        ("https://acme.com/", "https://www.linkedin.com/feed/", .social, "LinkedIn", ""),
        ("https://acme.com/", "https://blog.example.org/post", .referral, "blog.example.org", ""),
        ("https://acme.com/", "https://acme.com/pricing", .internal, "acme.com", ""),
        ("https://acme.com/", "https://docs.acme.com/", .internal, "docs.acme.com", ""),
        ("https://acme.com/", "", .direct, "", ""),
        ("https://acme.com/?utm_source=newsletter&utm_medium=email&utm_campaign=spring%20sale", "https://mail.example/",
         .email, "newsletter", "spring sale"),
        ("https://acme.com/?utm_source=google&utm_medium=cpc&utm_campaign=brand", "https://www.google.com/", .paid, "Google", "brand"),
    ])
    func classifiesTrafficSources(url: String, referrer: String, medium: TrafficSource.Medium, source: String, campaign: String) {
        let result = ReferrerClassifier().classify(url: url, referrer: referrer, siteDomains: ["acme.com"])
        #expect(result == TrafficSource(medium: medium, source: source, campaign: campaign))
    }

    @Test func urlPartsParsesHostPathAndQuery() {
        let parts = URLParts("https://User@WWW.Acme.com:8443/a/b?x=1&y=%C3%A9+z#frag")
        #expect(parts.host == "www.acme.com")
        #expect(parts.path == "/a/b")
        #expect(parts.queryItems == ["x": "1", "y": "é z"])
        #expect(URLParts("not a url").host == "")
    }

    /// On well-formed URLs the UTF-8 scan reads what Foundation's URL parser reads.
    @Test(arguments: [
        "https://acme.com", "http://ACME.com/", "https://u:p@Shop.Acme.com:8080/a/b/?q=1#f", "https://[2001:db8::1]:443/x?y",
        "https://acme.com/caf%C3%A9/%2F?x=%26#a?b", "https://acme.com/?", "https://acme.com#only", "https://acme.com/a#b?c",
        "android-app://com.google.android.gm/", "https://muenchen.de/path;params?a=1&a=2",
    ])
    func urlPartsReadsWhatFoundationReads(url: String) throws {
        let components = try #require(URLComponents(string: url))
        let parts = URLParts(url)
        let host = components.percentEncodedHost.map { $0.hasPrefix("[") ? $0 : $0.lowercased() } ?? ""
        #expect(parts.host == host)
        #expect(parts.path == (components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath))
        #expect(parts.query == (components.percentEncodedQuery ?? "")[...])
    }

    @Test func urlPartsSplitsAtADelimiterFollowedByACombiningMark() {
        // As bytes, "/" then U+0301 is a slash; as Characters it is one cluster that is not "/".
        let parts = URLParts("https://acme.com/\u{301}x?\u{301}y=1")
        #expect(parts.host == "acme.com")
        #expect(parts.path == "/\u{301}x")
        #expect(parts.query == "\u{301}y=1")
    }
}

@Suite struct BotSignalTests {
    static let chrome = UserAgentClassifier().classify(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36")

    @Test func userAgentThenWebDriverThenDataCentre() {
        let curl = UserAgentClassifier().classify("curl/8.5.0")
        #expect(BotVerdict.judge(userAgent: curl, webdriver: true, networkType: .hosting) == BotVerdict(signal: .userAgent, family: "curl"))
        #expect(BotVerdict.judge(userAgent: Self.chrome, webdriver: true, networkType: .hosting)
            == BotVerdict(signal: .webdriver, family: "WebDriver Chrome"))
        #expect(BotVerdict.judge(userAgent: Self.chrome, webdriver: false, networkType: .hosting)
            == BotVerdict(signal: .datacenter, family: "Data centre Chrome"))
        for network in NetworkType.allCases where network != .hosting {
            #expect(BotVerdict.judge(userAgent: Self.chrome, webdriver: false, networkType: network) == nil)
        }
    }

    @Test(arguments: [
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot"),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bingbot"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", "GPTBot"),
        ("python-requests/2.31.0", "python-requests"),
        ("Go-http-client/1.1", "Go-http-client"),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "facebookexternalhit"),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36", "HeadlessChrome"),
        ("Mozilla/5.0 (compatible; SISTRIX Crawler; http://crawler.sistrix.net/)", "SISTRIX Crawler"),
        ("Mozilla/5.0 (compatible; YandexSitelinks; Dyatel; +http://yandex.com/bots)", "YandexSitelinks"),
        ("www.deadlinkchecker.com Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/46.0 Safari/537.36",
         "deadlinkchecker.com"),
        ("Mozilla/5.0 (Windows NT 6.2; WOW64) AppleWebKit/537.22 (KHTML, like Gecko) Chrome/25.0 Safari/537.22 +awesomecrawler",
         "awesomecrawler"),
        ("Zabbix", "Zabbix"),
    ])
    func namesBotFamilies(ua: String, family: String) {
        let info = UserAgentClassifier().classify(ua)
        #expect(info.isBot)
        #expect(info.browser == family)
    }

    @Test func paceAllowsPeopleAndCatchesScrapers() {
        var pace = PageviewPace(maxPageviews: 20, window: 10_000)
        // A person: a page every 3 s for an hour.
        for second in stride(from: Int64(0), to: 3_600, by: 3) {
            let tooFast = pace.record(visitor: 1, pageviews: 1, atMs: second * 1_000)
            #expect(!tooFast)
        }
        // A scraper: 21 pages within two seconds.
        let verdicts = (0..<21).map { pace.record(visitor: 2, pageviews: 1, atMs: Int64($0) * 100) }
        #expect(verdicts.prefix(20).allSatisfy { !$0 } && verdicts[20])
        let later = pace.record(visitor: 2, pageviews: 1, atMs: 60_000)
        #expect(!later)
    }
}

@Suite struct UserAgentBadInputTests {
    static let badInputs: [String: [UInt8]] = [
        "empty": [], "spaces": [0x20, 0x20], "binary": [0xFF, 0xFE, 0x00, 0x41],
        "control character": Array("Mozilla/5.0 \u{1}(Windows NT 10.0)".utf8), "invalid UTF-8": [0x4D, 0x6F, 0xC3, 0x28],
        "replacement character": Array("Mozilla/5.0 (Windows \u{FFFD})".utf8),
        "10 KB of parentheses": Array(repeating: UInt8(ascii: "("), count: 10_240),
    ]

    @Test(arguments: badInputs.keys.sorted())
    func badBytesAreOther(_ name: String) throws {
        #expect(UserAgentClassifier().classify(utf8: try #require(Self.badInputs[name])) == .unknown)
    }

    @Test func longUserAgentsAreCappedNotRejected() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 "
        let info = UserAgentClassifier().classify(chrome + String(repeating: "é", count: 5_000))
        #expect(info.browser == "Chrome" && info.os == "Windows")
    }

    @Test func cacheIsBounded() {
        let classifier = UserAgentClassifier(cacheCapacity: 8)
        for index in 0..<100 { _ = classifier.classify("Mozilla/5.0 (Windows NT 10.0) Chrome/\(index).0") }
        #expect(classifier.cachedCount <= 16)
        #expect(classifier.classify("Mozilla/5.0 (Windows NT 10.0) Chrome/99.0").browserVersion == "99")
    }
}

