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
        // Safari's own network stack (both labellers of the long-tail corpus say Safari).
        Case(ua: "Safari/9537.85.15.3 CFNetwork/673.5 Darwin/13.4.0 (x86_64) (MacPro3%2C1)", browser: "Safari", os: "macOS", device: .desktop),
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

    /// Siblings of the examples, one per kind of fault found in the long-tail corpus's
    /// tuning part: platforms named their own way, the platform's own web stack, browsers of
    /// their own, watches and set-top boxes, apps that give their homepage.
    static let longTail: [Case] = [
        // KaiOS phones also say `Android`; UC Browser shortens it to `Adr`.
        Case(ua: "Mozilla/5.0 (Mobile; LYF/F90M/LYF-F90M-000-02-28-130318; Android; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.0",
             browser: "Firefox", os: "KaiOS", device: .mobile),
        Case(ua: "UCWEB/2.0 (Linux; U; Adr 4.2.2; zh-CN; IUSAI US8) U2/1.0.0 UCBrowser/9.0.1.294 U2/1.0.0 Mobile",
             browser: "UC Browser", os: "Android", device: .mobile),
        // Parentheses stripped from the platform only; a comment nested in the platform's.
        Case(ua: "Mozilla/5.0 Linux; Android 7.0; SANTIN NEWDUN AppleWebKit/537.36 (KHTML, like Gecko) Chrome/75.0.3770.143 Mobile Safari/537.36",
             browser: "Chrome", os: "Android", device: .mobile),
        Case(ua: "Mozilla/5.0 (Android OS 5.1 / API-22 (HUAWEITIT-U02/C579B105); HUAWEI HUAWEI TIT-U02) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/76.0.3809.89 Mobile Safari/537.36 UnityPlayer/2017.4.34f1",
             browser: "Chrome", os: "Android", device: .mobile),
        // A phone model starting with `Win` is not Windows; a Hisense phone is not a TV.
        Case(ua: "Mozilla/5.0 (Linux; Android 4.4; Winmax XC6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.138 Mobile Safari/537.36",
             browser: "Chrome", os: "Android", device: .mobile),
        Case(ua: "Mozilla/5.0 (Linux; Android 11; Hisense U50) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 Mobile Safari/537.36",
             browser: "Chrome", os: "Android", device: .mobile),
        // The platform's own web stack, and Safari's.
        Case(ua: "Dalvik/2.1.0 (Linux; U; Android 7.1.1; Pixel C Build/N4F26I)", browser: "Android Browser", os: "Android", device: .tablet),
        Case(ua: "Mozilla/5.0 (Linux; U; Android 1.6; fr-fr; SonyEricssonE15i-o Build/1.3.A.0.50) AppleWebKit/528.5+ (KHTML, like Gecko) Version/3.1.2 Mobile Safari/525.20.1",
             browser: "Android Browser", os: "Android", device: .mobile),
        Case(ua: "Safari/7534.53.10 CFNetwork/520.3.2 Darwin/11.3.0 (x86_64) (Macmini4%2C1)", browser: "Safari", os: "macOS", device: .desktop),
        // Browsers of their own: inside an MSIE comment, before `SamsungBrowser/`, lower-case, short.
        Case(ua: "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0; .NET CLR 2.0.50727; MAXTHON 2.0)",
             browser: "Maxthon", os: "Windows", device: .desktop),
        Case(ua: "Mozilla/5.0 (Linux; Android 7.1.1; Quest) AppleWebKit/537.36 (KHTML, like Gecko) OculusBrowser/13.4.0.3.15.268829550 SamsungBrowser/4.0 Chrome/87.0.4280.141 VR Safari/537.36",
             browser: "Oculus Browser", os: "Android", device: .other),
        Case(ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_2) AppleWebKit/537.36 (KHTML, like Gecko) brave/0.7.9 Chrome/47.0.2526.73 Electron/0.36.2 Safari/537.36",
             browser: "Brave", os: "macOS", device: .desktop),
        Case(ua: "Mozilla/5.0 (Linux; U; Android 8.1.0; ru-ru; itel A52 Lite Build/O11019) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.198 Mobile Safari/537.36 PHX/6.1",
             browser: "Phoenix Browser", os: "Android", device: .mobile),
        Case(ua: "SonyEricssonW20/R1x Browser/NetFront/3.5 Profile/MIDP-2.1 Configuration/CLDC-1.1 JavaPlatform/JP-8.5",
             browser: "NetFront", os: "Other", device: .mobile),
        // Watches, Apple TV, HomePod and an Xbox on Windows Phone are not phones or desktops.
        Case(ua: "Mozilla/5.0 (Linux; Tizen 4.0; SAMSUNG SM-R800) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/2.0 Chrome/56.0.2924.0 Mobile Safari/537.36",
             browser: "Samsung Internet", os: "Tizen", device: .other),
        Case(ua: "atc/1.0 watchOS/7.3 model/Watch5,9 hwp/t8006 build/18S801 (6; dt:233)", browser: "Other", os: "watchOS", device: .other),
        Case(ua: "Mozilla/5.0 (AppleTV11,1; CPU OS 11.1 like Mac OS X; en-US)", browser: "Other", os: "iOS", device: .other),
        Case(ua: "AppleCoreMedia/1.0.0.15F80 (HomePod; U; CPU OS 11_4 like Mac OS X; fr_fr)", browser: "Other", os: "iOS", device: .other),
        Case(ua: "Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; Xbox; Xbox One)",
             browser: "Internet Explorer", os: "Windows Phone", device: .other),
        Case(ua: "Linux UPnP/1.0 Sonos/57.3-81090 (ZPS18)", browser: "Other", os: "Linux", device: .other),
        // Apps on a known platform that give their homepage are apps, not crawlers.
        Case(ua: "NetNewsWire/4.0.0 (Mac OS X; http://netnewswireapp.com/mac/; gzip-happy)", browser: "Other", os: "macOS", device: .desktop),
        Case(ua: "Evergreen (macOS; RSS Reader; https://ranchero.com/evergreen/)", browser: "Other", os: "macOS", device: .desktop),
        Case(ua: "Microsoft Office Word/2.44.1211 (iOS/13.7; Tablet; es-MX; AppStore; Apple/iPad11,3)", browser: "Other", os: "iPadOS", device: .tablet),
        Case(ua: "Podbean/iOS (http://podbean.com) 5.2.0 - 19c4ff292bd09cd2ccbad22cc6755a45", browser: "Other", os: "Other", device: .other),
        // Desktop apps that name their Linux distribution rather than `Linux`.
        Case(ua: "Akregator/4.12.3; syndication SUSE", browser: "Other", os: "Linux", device: .desktop),
        Case(ua: "Liferea/1.6.2 (Ubuntu; http://liferea.sf.net/)", browser: "Other", os: "Linux", device: .desktop),
        Case(ua: "Transmission/2.94 (Debian)", browser: "Other", os: "Linux", device: .desktop),
        // Media players name no platform but are not crawlers; a bare Apple model is its own browser.
        Case(ua: "AirPlay/540.31", browser: "Other", os: "Other", device: .other),
        Case(ua: "mpv 0.29.1", browser: "Other", os: "Other", device: .other),
        Case(ua: "iPhone15ProMax", browser: "Safari", os: "iOS", device: .mobile),
    ]

    @Test(arguments: longTail)
    func theLongTailIsClassified(_ person: Case) {
        let info = UserAgentClassifier(cacheCapacity: 0).classify(person.ua)
        #expect(!info.isBot)
        #expect(info.browser == person.browser)
        #expect(info.os == person.os)
        #expect(info.device == person.device)
    }

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
        // Claiming Mozilla with no platform, engine or device.
        ("Mozilla/5.0 Keydrop", "Keydrop"),
        // A tool's name and homepage put before a browser UA.
        ("FeedBurner/1.0 (http://www.FeedBurner.com) Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/63.0.3239.132 Safari/537.36 Specificfeeds", "FeedBurner.com"),
        // Monitors and site downloaders that name a platform; `iOS` inside `nagios` names none.
        ("websitepulse checker/3.0 (compatible; MSIE 5.5; Netscape 4.75; Linux)", "websitepulse checker"),
        ("SiteSucker for macOS/2.10.5", "SiteSucker"),
        ("check_http/v1.5 (nagios-plugins 1.5)", "check_http"),
        // Crawlers name themselves in the engine comment; a domain as a product name is a contact.
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko; compatible; BW/1.1; bit.ly/2W6Px8S) Chrome/84.0.4147.105 Safari/537.36", "BW"),
        ("Mozilla/5.0 (X11; Linux x86_64) Miniature.io/6.0 AppleWebKit/537.36 (KHTML, like Gecko) QtWebEngine/5.12.4 Chrome/69.0.3497.128 Safari/537.36", "Miniature.io"),
    ])
    func scannersAndCrawlersWithBrowserUAsAreBots(ua: String, family: String) {
        let info = UserAgentClassifier(cacheCapacity: 0).classify(ua)
        #expect(info.isBot)
        #expect(info.browser == family)
    }
}
