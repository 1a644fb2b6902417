import FootfallCore
import Testing

/// The issue-11 User-Agents, each with the value it must classify as: people never dropped as
/// bots, scanners caught, and the long tail of devices and browsers.
@Suite struct RealWorldUserAgentTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var ua: String
        var browser: String
        var os: String
        var device: DeviceClass
        var testDescription: String { String(ua.prefix(60)) }
    }

    static let people: [Case] = [
        Case(ua: "Mozilla/5.0 (Linux; Android 8.0.0; CUBOT_P20) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.110 Mobile Safari/537.36",
             browser: "Chrome", os: "Android", device: .mobile),
        Case(ua: "Mozilla/5.0 (Linux; Android 9; CUBOT KING KONG 3) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/96.0.4664.104 Mobile Safari/537.36",
             browser: "Chrome", os: "Android", device: .mobile),
        Case(ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/605.1 NAVER(inapp; search; 2000; 12.3.6; 14PRO)",
             browser: "NAVER", os: "iOS", device: .mobile),
        Case(ua: "UCWEB/2.0(BlackBerry; U; 8.0.0.388; en-us; 9360/8.0.0.388) U2/1.0.0 UCBrowser/8.1.0.216 U2/1.0.0 Mobile",
             browser: "UC Browser", os: "BlackBerry OS", device: .mobile),
        Case(ua: "Fly_DS123/Q03C_MAUI_Browser/MIDP2.0 Configuration/CLDC-1.1", browser: "Other", os: "Other", device: .mobile),
        Case(ua: "Lemon B559 (MRE/3.1.00(1280);MAUI/_B559_V1.0;BDATE/2013/05/10 15:33;LCD/240320;CHIP/MT6250;KEY/Normal;TOUCH/0;CAMERA/1)",
             browser: "Other", os: "Other", device: .mobile),
        Case(ua: "Mozilla/5.0 (Mobile; Fise_32433_3G; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5.1.1",
             browser: "Firefox", os: "KaiOS", device: .mobile),
        Case(ua: "Safari/9537.85.15.3 CFNetwork/673.5 Darwin/13.4.0 (x86_64) (MacPro3%2C1)", browser: "Other", os: "macOS", device: .desktop),
        Case(ua: "Podcasts/1.0 CFNetwork/1220.1 Darwin/20.3.0", browser: "Other", os: "iOS", device: .mobile),
        Case(ua: "Sonos;One;9b377073ea334637b1406f329ce005de;;tpapi;3.81.91", browser: "Other", os: "Other", device: .other),
        Case(ua: "Roku/Pluto-9.40 (069.40E04200A) v5.3.4", browser: "Other", os: "Other", device: .other),
        // The long tail of devices: TVs, consoles, cars are not desktops.
        Case(ua: "Mozilla/5.0 (Linux armv7l) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/53.0.2785.143 Safari/537.36 OPR/40.0.2207.0 OMI/4.9.0.237.DOM3.194 Model/Vestel-MB130",
             browser: "Opera", os: "Linux", device: .other),
        Case(ua: "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0; Xbox; Xbox One)",
             browser: "Internet Explorer", os: "Windows", device: .other),
        Case(ua: "Mozilla/5.0 (X11; GNU/Linux) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/75.0.3770.100 Chrome/75.0.3770.100 Safari/537.36 Tesla/2019.40.50.7-ad132c7b057e",
             browser: "Chrome", os: "Linux", device: .other),
        Case(ua: "Mozilla/5.0 (Linux; U; Android 4.1.2; en-us; GT-I9300 Build/JZO54K) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30",
             browser: "Android Browser", os: "Android", device: .mobile),
        Case(ua: "Mozilla/5.0 Linux; Android 9; SM-A600U AppleWebKit/537.36 KHTML, like Gecko Chrome/75.0.3770.101 Mobile Safari/537.36",
             browser: "Chrome", os: "Android", device: .mobile),
        Case(ua: "Mozilla/5.0 (Linux; Android 10; Joy 3) AppleWebKit/537.36 (KHTML, like Gecko) coc_coc_browser/87.0.184 Mobile Chrome/81.0.4044.184 Mobile Safari/537.36",
             browser: "Coc Coc", os: "Android", device: .mobile),
        Case(ua: "Mozilla/5.0 (Linux; U; Android 11; zh-cn; PEGM00 Build/RKQ1.200903.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/90.0.4430.61 MQQBrowser/12.1 Mobile Safari/537.36",
             browser: "QQ Browser", os: "Android", device: .mobile),
        Case(ua: "Mozilla/5.0 (Linux; U; Android 12; en-us; M2101K6G Build/SKQ1.210908.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.127 Mobile Safari/537.36 XiaoMi/MiuiBrowser/13.21.0-gn",
             browser: "MIUI Browser", os: "Android", device: .mobile),
        Case(ua: "[FBAN/FB4A;FBAV/26.0.0.22.16;FBBV/6590638;FBLC/en_US;FBMF/Sony;FBPN/com.facebook.katana;FBDV/C1905;FBSV/4.1.2;FBOP/19;]",
             browser: "Facebook", os: "Android", device: .mobile),
    ]

    @Test(arguments: people)
    func peopleAreNotBots(_ person: Case) {
        let info = UserAgentClassifier(cacheCapacity: 0).classify(person.ua)
        #expect(!info.isBot)
        #expect(info.browser == person.browser)
        #expect(info.os == person.os)
        #expect(info.device == person.device)
    }

    @Test func theCUBOTPhoneReportsItsVersions() {
        let info = UserAgentClassifier(cacheCapacity: 0).classify(Self.people[0].ua)
        #expect((info.browserVersion, info.osVersion) == ("70", "8"))
        let fb = UserAgentClassifier(cacheCapacity: 0).classify(Self.people.last!.ua)
        #expect(fb.osVersion == "4")
    }

    @Test(arguments: [
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.199 Safari/537.36;OneTrust;", "OneTrust"),
        ("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 14_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0 Mobile/15E148 Safari/604.1 (compatible; AdsBot-Google-Mobile; +http://www.google.com/mobile/adsbot.html)", "AdsBot-Google-Mobile"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Cookiebot", "Cookiebot"),
        ("Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse", "Chrome-Lighthouse"),
    ])
    func scannersAndCrawlersWithBrowserUAsAreBots(ua: String, family: String) {
        let info = UserAgentClassifier(cacheCapacity: 0).classify(ua)
        #expect(info.isBot)
        #expect(info.browser == family)
    }
}
