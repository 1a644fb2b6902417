/// Classifies User-Agent strings into browser, OS and device class.
///
/// Token-based: scans for the distinguishing product tokens in the order browsers
/// add them (Edge and Opera carry "Chrome", Chrome carries "Safari"). Input is capped
/// so an adversarial header costs bounded time.
public struct UserAgentClassifier: Sendable {
    /// Longest prefix of a User-Agent that is examined.
    public static let maxLength = 512

    public init() {}

    /// Classifies one User-Agent header value.
    public func classify(_ rawUserAgent: String) -> UserAgentInfo {
        let ua = String(rawUserAgent.utf8.prefix(Self.maxLength)) ?? ""
        if ua.isEmpty { return .unknown }
        if Self.isBot(ua) {
            return UserAgentInfo(browser: "Bot", browserVersion: "", os: "Other", osVersion: "", device: .bot, isBot: true)
        }
        let (browser, browserVersion) = Self.browser(ua)
        let (os, osVersion) = Self.operatingSystem(ua)
        return UserAgentInfo(
            browser: browser, browserVersion: browserVersion, os: os, osVersion: osVersion,
            device: Self.device(ua, os: os), isBot: false)
    }

    static let botTokens = [
        "bot", "crawler", "spider", "slurp", "headlesschrome", "phantomjs", "python-", "curl/", "wget/",
        "go-http-client", "java/", "okhttp", "axios", "node-fetch", "libwww", "httpclient", "scrapy",
        "monitor", "pingdom", "uptime", "preview", "facebookexternalhit", "lighthouse",
    ]

    static func isBot(_ ua: String) -> Bool {
        let lower = ua.lowercased()
        return botTokens.contains { lower.contains($0) }
    }

    /// Browser tokens, most specific first: the first match wins.
    static let browserTokens: [(token: String, family: String)] = [
        ("Edg/", "Edge"), ("EdgA/", "Edge"), ("EdgiOS/", "Edge"), ("OPR/", "Opera"),
        ("SamsungBrowser/", "Samsung Internet"), ("YaBrowser/", "Yandex"), ("UCBrowser/", "UC Browser"),
        ("Vivaldi/", "Vivaldi"), ("FxiOS/", "Firefox"), ("Firefox/", "Firefox"), ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"), ("Version/", "Safari"),
    ]

    static func browser(_ ua: String) -> (String, String) {
        for (token, family) in browserTokens {
            if let range = ua.range(of: token) {
                return (family, majorVersion(ua[range.upperBound...]))
            }
        }
        return ("Other", "")
    }

    static func operatingSystem(_ ua: String) -> (String, String) {
        if ua.contains("Windows NT") { return ("Windows", "") }
        if ua.contains("iPad") { return ("iPadOS", versionAfter("OS ", in: ua)) }
        if ua.contains("iPhone") { return ("iOS", versionAfter("OS ", in: ua)) }
        if ua.contains("Android") { return ("Android", versionAfter("Android ", in: ua)) }
        if ua.contains("CrOS") { return ("ChromeOS", "") }
        if ua.contains("Mac OS X") { return ("macOS", versionAfter("Mac OS X ", in: ua)) }
        if ua.contains("Linux") { return ("Linux", "") }
        return ("Other", "")
    }

    static func device(_ ua: String, os: String) -> DeviceClass {
        switch os {
        case "iPadOS": return .tablet
        case "iOS": return .mobile
        case "Android": return ua.contains("Mobile") ? .mobile : .tablet
        case "Windows", "macOS", "Linux", "ChromeOS": return .desktop
        default: return .other
        }
    }

    static func versionAfter(_ token: String, in ua: String) -> String {
        guard let range = ua.range(of: token) else { return "" }
        return majorVersion(ua[range.upperBound...])
    }

    static func majorVersion(_ rest: Substring) -> String {
        String(rest.prefix { $0.isASCII && $0.isNumber })
    }
}
