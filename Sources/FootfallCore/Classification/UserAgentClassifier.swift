/// Classifies User-Agent strings into browser family + major version, OS family + version,
/// device class and a bot flag.
///
/// A single-pass token scanner (``UserAgentTokens``) with tables of product tokens, checked
/// against uap-core's labels over `Fixtures/UserAgents/corpus.tsv` (see its README for
/// provenance and measured agreement). uap-core's ~1,000 regexes are the reference, not the
/// engine: running them through a regex engine costs far more than the ingest path allows.
///
/// Input is capped at ``maxLength`` bytes, so an adversarial header costs bounded time;
/// empty, binary or invalid UTF-8 input classifies as ``UserAgentInfo/unknown``.
/// Results for repeated User-Agents come from a bounded cache shared by copies of the value.
public struct UserAgentClassifier: Sendable {
    /// Longest prefix of a User-Agent that is examined. Real browser UAs are < 300 bytes.
    public static let maxLength = 512

    private let cache: UserAgentCache?

    /// - Parameter cacheCapacity: how many distinct User-Agents to remember (0 disables the cache).
    public init(cacheCapacity: Int = 4096) {
        cache = cacheCapacity > 0 ? UserAgentCache(capacity: cacheCapacity) : nil
    }

    /// How many classifications the cache holds (at most twice its capacity).
    public var cachedCount: Int { cache?.count ?? 0 }

    /// Classifies one User-Agent header value.
    public func classify(_ userAgent: String) -> UserAgentInfo {
        // Over-long UAs are not cached: the cap bounds their cost, and caching them would
        // let a client fill memory with 4,096 huge keys.
        guard let cache, userAgent.utf8.count <= Self.maxLength else {
            return classify(utf8: Array(userAgent.utf8.prefix(Self.maxLength + 1)))
        }
        if let known = cache[userAgent] { return known }
        let info = classify(utf8: Array(userAgent.utf8))
        cache[userAgent] = info
        return info
    }

    /// Classifies raw User-Agent bytes (not cached); invalid UTF-8 or control bytes give `unknown`.
    public func classify(utf8 raw: [UInt8]) -> UserAgentInfo {
        let bytes = raw.count > Self.maxLength ? Self.truncated(raw) : raw
        guard Self.isPrintableText(bytes) else { return .unknown }
        let tokens = UserAgentTokens(bytes)
        let (os, osVersion) = Self.operatingSystem(tokens)
        if let family = BotSignature.family(of: tokens, os: os) {
            return UserAgentInfo(
                browser: family, browserVersion: "", os: "Other", osVersion: "", device: .bot, isBot: true)
        }
        let (browser, browserVersion) = Self.browser(tokens, os: os)
        return UserAgentInfo(
            browser: browser, browserVersion: browserVersion, os: os, osVersion: osVersion,
            device: Self.device(tokens, os: os), isBot: false)
    }

    /// Cuts at ``maxLength`` without splitting a UTF-8 sequence (continuation bytes are dropped).
    static func truncated(_ raw: [UInt8]) -> [UInt8] {
        var end = maxLength
        while end > 0 && raw[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(raw[..<end])
    }

    /// Non-empty, valid UTF-8, no control characters and no U+FFFD (a sign of already-repaired bytes).
    static func isPrintableText(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, bytes.contains(where: { $0 != 0x20 }) else { return false }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.value < 0x20 && scalar.value != 0x09 || scalar.value == 0x7F || scalar.value == 0xFFFD {
                    return false
                }
            case .emptyInput:
                return true
            case .error:
                return false
            }
        }
    }

    // MARK: Browser

    /// Product tokens naming a browser other than the one they imitate, most specific first:
    /// Edge and Opera carry `Chrome/`, Chrome carries `Safari/`, in-app browsers carry both.
    static let browserProducts: [(product: String, family: String)] = [
        ("chromeframe", "Chrome Frame"), ("Swiftfox", "Swiftfox"), ("FBAV", "Facebook"), ("FBAN", "Facebook"), ("FB_IAB", "Facebook"),
        ("Edg", "Edge"), ("EdgA", "Edge"), ("EdgiOS", "Edge"), ("Edge", "Edge"),
        ("OPR", "Opera"), ("OPT", "Opera"), ("OPiOS", "Opera"), ("OPX", "Opera"),
        ("OculusBrowser", "Oculus Browser"), ("SamsungBrowser", "Samsung Internet"), ("YaBrowser", "Yandex"), ("YaSearchBrowser", "Yandex"),
        ("UCBrowser", "UC Browser"), ("UBrowser", "UC Browser"), ("UCWEB", "UC Browser"),
        // Chromium-based browsers that keep Chrome's token.
        ("coc_coc_browser", "Coc Coc"), ("QQBrowser", "QQ Browser"), ("MQQBrowser", "QQ Browser"),
        ("MiuiBrowser", "MIUI Browser"), ("HuaweiBrowser", "Huawei Browser"), ("HeyTapBrowser", "HeyTap Browser"),
        ("VivoBrowser", "vivo Browser"), ("Quark", "Quark"), ("Puffin", "Puffin"), ("Maxthon", "Maxthon"),
        ("PHX", "Phoenix Browser"), ("Midori", "Midori"), ("Odin", "Odin"),
        ("baidubrowser", "Baidu Browser"), ("bdbrowser", "Baidu Browser"), ("SogouMobileBrowser", "Sogou Browser"),
        ("Whale", "Whale"), ("AlohaBrowser", "Aloha Browser"), ("PhxBrowser", "Phoenix Browser"),
        ("TizenBrowser", "Tizen Browser"), ("Vivaldi", "Vivaldi"), ("Brave", "Brave"), ("brave", "Brave"), ("DuckDuckGo", "DuckDuckGo"), ("Ddg", "DuckDuckGo"),
        ("Silk", "Amazon Silk"), ("GSA", "Google"), ("Electron", "Electron"), ("WhatsApp", "WhatsApp"),
        ("SeaMonkey", "SeaMonkey"), ("Iceweasel", "Iceweasel"), ("Camino", "Camino"), ("Thunderbird", "Thunderbird"),
        ("Netscape6", "Netscape"), ("Netscape", "Netscape"), ("Konqueror", "Konqueror"), ("Fluid", "Fluid"),
        // Browsers of their own inside an MSIE comment, and of phones and consoles.
        ("Sleipnir", "Sleipnir"), ("Blazer", "Palm Blazer"), ("NetFront", "NetFront"), ("POLARIS", "Polaris"),
        ("Polaris", "Polaris"), ("Bunjalloo", "Bunjalloo"),
        ("FxiOS", "Firefox"), ("Firefox", "Firefox"), ("CriOS", "Chrome"), ("Chromium", "Chrome"), ("Chrome", "Chrome"),
    ]

    static let browserProductTable = ProductTable(browserProducts.map(\.product))

    static func browser(_ tokens: UserAgentTokens, os: String) -> (String, String) {
        if let instagram = tokens.after("Instagram ") { return ("Instagram", UserAgentTokens.major(instagram)) }
        if tokens.after("Twitter for ") != nil { return ("Twitter", "") }
        if tokens.comment(prefix: "inapp") != nil, tokens.after("NAVER(inapp") != nil { return ("NAVER", "") }
        if tokens.product("XiaoMi") != nil, let miui = tokens.after("MiuiBrowser/") {  // `XiaoMi/MiuiBrowser/13.21.0`
            return ("MIUI Browser", UserAgentTokens.major(miui))
        }
        if let linkedIn = tokens.after("LinkedInApp") {  // `[LinkedInApp]/9.29.1`
            return ("LinkedIn", UserAgentTokens.major(linkedIn.drop { $0 == 0x5D || $0 == 0x2F }))
        }
        if tokens.product("Opera") != nil || tokens.comment(prefix: "Opera") != nil || tokens.after(" Opera ") != nil
            || tokens.bytes.starts(with: "Opera ".utf8) {
            return ("Opera", operaVersion(tokens))
        }
        if let (product, rank) = browserProductTable.best(in: tokens) {
            return (browserProducts[rank].family, UserAgentTokens.major(product.version))
        }
        if let zune = tokens.comment(prefix: "Zune ") { return ("Zune", UserAgentTokens.major(zune.dropFirst(5))) }
        if let msie = tokens.comment(containing: "MSIE ") {
            for (prefix, family) in msieShells where tokens.comment(prefix: prefix) != nil { return (family, "") }
            return ("Internet Explorer", UserAgentTokens.major(msie))
        }
        if tokens.product("Trident") != nil, let rv = tokens.comment(prefix: "rv:") {
            return ("Internet Explorer", UserAgentTokens.major(rv.dropFirst(3)))
        }
        // Safari's own network stack: `Safari/7534.53.10 CFNetwork/520.3.2 Darwin/11.3.0`.
        if tokens.products.first?.name.elementsEqual("Safari".utf8) == true { return ("Safari", "") }
        // Android's stock browser before Chrome replaced it (`AppleWebKit/534.30 … Version/4.0`, no
        // `Chrome/`), and any other Android client naming no browser: the platform's web stack
        // (`Dalvik/2.1.0 (Linux; U; Android 9; …)`), counted as uap-core and device-detector do.
        if os == "Android" {
            return ("Android Browser", tokens.product("Version").map { UserAgentTokens.major($0.version) } ?? "")
        }
        guard let webKit = tokens.product("AppleWebKit") else {
            // Feature phones: `SonyEricssonW20/R1x Browser/NetFront/3.5 Profile/MIDP-2.1 …`.
            if let netFront = tokens.after("NetFront/") { return ("NetFront", UserAgentTokens.major(netFront)) }
            // Nothing but an Apple device's name (`iPhone15ProMax`, `iPodTouch7`): its own browser.
            let bareDevice = tokens.products.isEmpty && tokens.comments.isEmpty && !tokens.bytes.contains(0x20)
            return bareDevice && (os == "iOS" || os == "iPadOS") ? ("Safari", "") : ("Other", "")
        }
        // WebKit nightly builds mark their engine version with a trailing `+`.
        if webKit.version.endIndex < tokens.bytes.endIndex && tokens.bytes[webKit.version.endIndex] == 0x2B {
            return ("WebKit Nightly", "")
        }
        // Symbian's S60 browser (`(SymbianOS/9.4; U; Series60/5.0 …) AppleWebKit/525`).
        if tokens.comment(prefix: "SymbianOS") != nil || tokens.after("Series60/") != nil { return ("Nokia Browser", "") }
        if tokens.product("Safari") != nil || os == "iOS" || os == "iPadOS" {
            return ("Safari", tokens.product("Version").map { UserAgentTokens.major($0.version) } ?? "")
        }
        // Mail.app renders HTML mail with WebKit and no `Safari/` token.
        return os == "macOS" ? ("Apple Mail", "") : ("Other", "")
    }

    /// Browsers built on Internet Explorer that name themselves in its comment without a
    /// version slash (`(compatible; MSIE 8.0; …; MAXTHON 2.0)`).
    static let msieShells: [(prefix: String, family: String)] = [
        ("MAXTHON", "Maxthon"), ("Maxthon", "Maxthon"), ("Lunascape", "Lunascape"), ("Avant Browser", "Avant Browser"),
        ("SlimBrowser", "SlimBrowser"), ("Crazy Browser", "Crazy Browser"),
    ]

    /// Opera before 15 (Presto) reports `Opera/9.80 … Version/12.16`, or `Opera 9.64` after MSIE.
    static func operaVersion(_ tokens: UserAgentTokens) -> String {
        if let version = tokens.product("Version") { return UserAgentTokens.major(version.version) }
        if let opera = tokens.product("Opera"), !opera.version.isEmpty { return UserAgentTokens.major(opera.version) }
        if let opera = tokens.after("Opera ") { return UserAgentTokens.major(opera) }
        return ""
    }

    // MARK: Operating system

    /// Desktop systems other than Linux, by the comment item that names them.
    static let unixSystems: [(prefix: String, family: String)] = [
        ("FreeBSD", "FreeBSD"), ("OpenBSD", "OpenBSD"), ("NetBSD", "NetBSD"), ("SunOS", "Solaris"), ("Haiku", "Haiku"),
        ("Inferno", "Inferno"), ("CYGWIN", "Windows"),
    ]

    static func operatingSystem(_ tokens: UserAgentTokens) -> (String, String) {
        // KaiOS phones also say `Android` in their comment (`(Mobile; LYF/F90M/…; Android; rv:48.0)`).
        if let kaiOS = tokens.product("KAIOS") ?? tokens.product("KaiOS") { return ("KaiOS", UserAgentTokens.major(kaiOS.version)) }
        if let phone = tokens.comment(containing: "Windows Phone") {
            return ("Windows Phone", UserAgentTokens.major(phone.drop { $0 < 0x30 || $0 > 0x39 }))
        }
        if let nt = tokens.comment(containing: "Windows NT ") { return ("Windows", windowsVersion(nt)) }
        // Every legacy marker says `Win`: one scan spares the rest of traffic eleven.
        if tokens.comment(containing: "Win") != nil {
            for (marker, version) in legacyWindows where tokens.comment(containing: marker) != nil { return ("Windows", version) }
        }
        if tokens.comment(prefix: "iPad") != nil {
            return ("iPadOS", tokens.comment(containing: " OS ").map(UserAgentTokens.major) ?? "")
        }
        if tokens.comment(prefix: "iPhone") != nil || tokens.comment(prefix: "iPod") != nil {
            return ("iOS", tokens.comment(containing: " OS ").map(UserAgentTokens.major) ?? "")
        }
        if let android = tokens.comment(containing: "Android") {
            let version = android.first == 0x20 ? UserAgentTokens.major(android.dropFirst()) : ""
            return ("Android", version)
        }
        // Apple TV and HomePod name no iPhone but iOS's `CPU OS 11_4 like Mac OS X`.
        if tokens.comment(containing: "like Mac OS X") != nil {
            return ("iOS", tokens.comment(containing: " OS ").map(UserAgentTokens.major) ?? "")
        }
        if let android = tokens.comment(prefix: "Adr ") {  // UC Browser's short form: `(Linux; U; Adr 4.2.2; …)`
            return ("Android", UserAgentTokens.major(android.dropFirst(4)))
        }
        if tokens.comment(containing: "Windows") != nil || tokens.comments.contains(where: isWindowsShortName) {
            return ("Windows", "")
        }
        if let tizen = tokens.comment(prefix: "Tizen") {
            return ("Tizen", UserAgentTokens.major(tizen.dropFirst(6)))
        }
        if let chromeOS = tokens.comment(prefix: "CrOS ") {  // `CrOS x86_64 14541.0.0`: the platform version
            let version = chromeOS.split(separator: 0x20).last.map { UserAgentTokens.major($0) } ?? ""
            return ("ChromeOS", version)
        }
        if let mac = tokens.comment(containing: "Mac OS X") {
            return ("macOS", mac.first == 0x20 ? UserAgentTokens.major(mac.dropFirst()) : "")
        }
        if tokens.comment(prefix: "Macintosh") != nil || tokens.comment(prefix: "Mac_") != nil
            || tokens.comment(prefix: "macOS") != nil {
            return ("macOS", "")
        }
        // Apps name iOS their own way: `(iOS/13.7; Tablet; …; Apple/iPad11,3)`, `(…; iOS 16.3.1)`.
        if let iOS = tokens.comments.first(where: { $0.starts(with: "iOS".utf8) && ($0.count == 3 || $0.dropFirst(3).first == 0x20 || $0.dropFirst(3).first == 0x2F) }) {
            return (tokens.after("iPad") != nil ? "iPadOS" : "iOS", UserAgentTokens.major(iOS.dropFirst(4)))
        }
        for (prefix, family) in unixSystems where tokens.comment(prefix: prefix) != nil { return (family, "") }
        if tokens.comment(containing: "Linux") != nil || tokens.comment(prefix: "X11") != nil { return ("Linux", "") }
        if tokens.comment(containing: "BlackBerry") != nil || tokens.comment(prefix: "BB10") != nil
            || tokens.bytes.starts(with: "BlackBerry".utf8) {
            return ("BlackBerry OS", "")
        }
        // In-app browsers and app networking stacks that leave the platform out.
        if tokens.after("FBAN/FB4A") != nil {
            return ("Android", tokens.after("FBSV/").map(UserAgentTokens.major) ?? "")
        }
        if tokens.product("CFNetwork") != nil, tokens.product("Darwin") != nil {
            let mac = tokens.comment(prefix: "x86_64") != nil || tokens.comment(prefix: "i386") != nil
                || tokens.after("Mac") != nil
            return mac ? ("macOS", "") : ("iOS", "")
        }
        // Apple Watch daemons: `atc/1.0 watchOS/6.0 model/Watch5,4 …`, `server-bag [Watch OS,7.0.1,…]`.
        if let watchOS = tokens.product("watchOS") { return ("watchOS", UserAgentTokens.major(watchOS.version)) }
        if let watchOS = tokens.after("Watch OS,") { return ("watchOS", UserAgentTokens.major(watchOS)) }
        if tokens.bytes.starts(with: "Watch".utf8), tokens.bytes.dropFirst(5).first.map(isDigit) == true {
            return ("watchOS", "")  // a bare model identifier: `Watch1,1/4.3.2 (15U70)`
        }
        if tokens.after("iPhone") != nil || tokens.after("iPod") != nil { return ("iOS", "") }
        if let android = tokens.product("Android") { return ("Android", UserAgentTokens.major(android.version)) }
        if tokens.hasAndroidWord { return ("Android", "") }
        if tokens.hasLinuxWord || tokens.product("Linux") != nil || tokens.namesLinuxDistribution { return ("Linux", "") }
        return ("Other", "")
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// `Win98`, `WinNT4.0`, `Win 9x 4.90`, `Win32`: `Win` not followed by a lower-case letter
    /// (which would make it a word such as a phone model, `Winmax XC6`, `Wink Primo`).
    static func isWindowsShortName(_ item: ArraySlice<UInt8>) -> Bool {
        guard item.starts(with: "Win".utf8) else { return false }
        guard let next = item.dropFirst(3).first else { return true }
        return !(next >= 0x61 && next <= 0x7A)
    }

    /// Pre-NT-6 Windows as their UAs name them, most specific first.
    static let legacyWindows: [(marker: StaticString, version: String)] = [
        ("Windows CE", "CE"), ("Win 9x 4.90", "ME"), ("Windows ME", "ME"), ("Windows 98", "98"), ("Win98", "98"),
        ("Windows 95", "95"), ("Win95", "95"), ("Windows XP", "XP"), ("Windows 2000", "2000"), ("WinNT", "NT"),
        ("Windows NT", "NT"),
    ]

    /// Marketing version of a Windows NT kernel version (`10.0` is also Windows 11: UAs froze it).
    static func windowsVersion(_ nt: ArraySlice<UInt8>) -> String {
        let kernel = String(decoding: nt.prefix { $0 >= 0x30 && $0 <= 0x39 || $0 == 0x2E }, as: UTF8.self)
        switch kernel {
        case "10.0": return "10"
        case "6.3": return "8.1"
        case "6.2": return "8"
        case "6.1": return "7"
        case "6.0": return "Vista"
        case "5.1", "5.2": return "XP"
        case "5.0", "5.01": return "2000"
        case "4.0", "3.51": return "NT"
        default: return ""
        }
    }

    // MARK: Device

    static let desktopSystems: Set<String> = [
        "Windows", "macOS", "Linux", "ChromeOS", "FreeBSD", "OpenBSD", "NetBSD", "Solaris", "Haiku", "Inferno",
    ]

    static func device(_ tokens: UserAgentTokens, os: String) -> DeviceClass {
        if DeviceMarkers.isNonPersonal(tokens, os: os) { return .other }
        switch os {
        case "iPadOS":
            return .tablet
        case "iOS", "Windows Phone", "KaiOS", "BlackBerry OS":
            return .mobile
        case "Tizen":
            return tokens.hasMobileWord ? .mobile : .other
        case "Android":
            // Chrome's convention: phones send `Mobile`, tablets do not; Firefox says so in the comment.
            if tokens.comment(prefix: "Tablet") != nil || tokens.comment(prefix: "Kindle") != nil
                || tokens.comment(prefix: "KF") != nil || tokens.product("Silk") != nil {
                return .tablet
            }
            // The Facebook app's own UA (`[FBAN/FB4A;…]`) names no platform: it runs on phones.
            return tokens.hasMobileWord || tokens.comment(prefix: "Mobile") != nil
                || tokens.comment(containing: "Android") == nil ? .mobile : .tablet
        default:
            if desktopSystems.contains(os) { return .desktop }
            return DeviceMarkers.isFeaturePhone(tokens) || tokens.comment(prefix: "Mobile") != nil ? .mobile : .other
        }
    }
}
