/// Recognises crawlers, monitors, link-preview fetchers, headless browsers and HTTP
/// libraries from their User-Agent, and names the bot family they are counted under.
///
/// Generic keywords rather than a list of known bots: new crawlers keep appearing, and they
/// almost all say `bot`, `crawl`, `spider`, carry a contact URL, or are a library that never
/// pretends to be `Mozilla`. Measured against the crawler-user-agents list (see
/// `Fixtures/UserAgents/README.md`); a few generic keywords (`agent`, `synthetic`, `google-`)
/// were added after reading its misses, so those figures are in-sample.
enum BotSignature {
    /// Lower-case fragments that only automated clients put in a User-Agent.
    static let keywords = KeywordSet([
        // Self-declared robots and their contact details.
        "bot", "crawl", "spider", "slurp", "scrap", "archiv", "heritrix", "nutch", "http:", "https:", "www.",
        ".com", ".org", ".html", "mediapartners", "google-", "googleother", "favicon",
        // Headless and automated browsers.
        "headless", "phantomjs", "lighthouse", "selenium", "webdriver", "puppeteer", "playwright", "prerender",
        // Uptime monitors, link checkers, SEO and feed tools, preview fetchers.
        "monitor", "uptime", "pingdom", "synthetic", "agent", "survey", "audit", "inspect", "verif", "optimiz",
        "check", "validator", "scan", "fetch", "preview", "externalhit", "embed",
        "feed", "rss", "reader", "seo", "analy", "index", "search", "proxy", "capture", "screenshot", "vkshare",
        "ia_archiver", "ask jeeves", "teoma",
        // HTTP libraries and command-line clients.
        "curl", "wget", "python", "java", "okhttp", "axios", "node-fetch", "undici", "go-http", "go ", "libwww",
        "lwp", "httpclient", "http-client", "http_request", "httpx", "aiohttp", "requests", "guzzle", "ruby", "perl",
        "apache", "jakarta", "winhttp", "urlgrabber", "mechanize", "httrack", "grab", "wordpress",
        "dart", "reqwest", "postman", "insomnia", "powershell", "libcurl", "httpie",
    ])

    /// What still marks a UA as automated when it plainly names an OS and a browser engine, or
    /// is an app on a known platform: self-declared robots, headless and automation tools,
    /// monitors, consent scanners, site downloaders. Generic words (`search`, `reader`, `index`,
    /// a `bot` inside a model name such as `CUBOT_P20`) are not enough there: real phones and
    /// in-app browsers carry them.
    static let strongWords = [
        "bot", "crawl", "spider", "slurp", "scrap", "heritrix", "nutch", "mediapartners", "google-", "googleother",
        "headless", "phantomjs", "lighthouse", "selenium", "webdriver", "puppeteer", "playwright", "prerender",
        "pingdom", "uptime", "externalhit", "vkshare", "ia_archiver", "+http", "synthetic",
        "ptst/", "onetrust", "cookiebot", "cookieyes", "cookie-script", "usercentrics", "preview", "screenshot",
        "curl", "wget", "python", "httpclient", "validator", "linkcheck", "checker", "scanner", "scanning",
        "google page speed", "agent", "inspect", "probe", "catchpoint", "siteimprove", "proxy", "monitor",
        "sitesucker", "offline explorer", "webcopier", "webzip",
        // Crawlers' convention for naming themselves in a browser UA's engine comment
        // (`(KHTML, like Gecko; compatible; GPTBot/1.0; …)`); no browser puts anything there.
        "gecko; compatible",
    ]

    /// Contact details: a bot signal in a browser UA (`… Safari/537.36 (+https://example.com/bot)`
    /// is a crawler) and in a tool's name put before one (`FeedBurner/1.0 (http://www.FeedBurner.com)
    /// Mozilla/5.0 …`), but an app's homepage in an app's own UA
    /// (`NetNewsWire/4.0.0 (Mac OS X; http://netnewswireapp.com/mac/)`).
    static let contactWords = ["http:", "https:", ".com", "www.", "mailto:", ".io/", ".ai/"]

    /// ``strongWords`` then ``contactWords``, searched in one pass.
    static let strongKeywords = KeywordSet(strongWords + contactWords)

    /// HTTP libraries and command-line clients: what still marks an app UA on a known platform
    /// (`okhttp/4.9 (Android 12)`) as automated, besides ``strongKeywords``.
    static let libraries = KeywordSet([
        "java/", "okhttp", "axios", "node-fetch", "undici", "go-http", "libwww", "lwp", "http-client", "http_request",
        "httpx", "aiohttp", "requests", "guzzle", "ruby", "perl", "apache", "jakarta", "winhttp", "urlgrabber",
        "mechanize", "httrack", "wordpress", "reqwest", "postman", "insomnia", "powershell", "libcurl", "httpie",
        "scrapy",
    ])

    /// Browser-looking tokens that still match a keyword, e.g. `Yandex` in `YaBrowser` UAs.
    static let browserFalsePositives = KeywordSet(["yabrowser", "yasearchbrowser", "yandexsearch/"])

    /// The bot family when the User-Agent is automated, else nil.
    /// - Parameters:
    ///   - tokens: the scanned User-Agent.
    ///   - os: the operating system it names ("Other" when none).
    static func family(of tokens: UserAgentTokens, os: String) -> String? {
        let bytes = tokens.bytes[...]
        let claimsBrowser = startsWithMozilla(bytes) || bytes.starts(with: "Opera".utf8)
        if claimsBrowser && os != "Other" && hasEngine(tokens) {
            // A plain browser UA: only strong signals count, and on phones not inside the
            // platform comment, where the device model is (`Android 8.0.0; CUBOT P20`).
            let platformEnd = mobileSystems.contains(os) ? bytes.firstIndex(of: 0x29) ?? bytes.startIndex : bytes.startIndex
            let rest = bytes[platformEnd...]
            guard let position = strongMatch(in: rest, countingContacts: true) else { return nil }
            return name(of: tokens, at: position)
        }
        if !claimsBrowser && (os != "Other" || DeviceMarkers.namesConsumerDevice(tokens)) {
            // An app on a known platform or device (`Microsoft Office Word/16.43 (Mac OS/11.0.1; …)`,
            // `Podcasts/1.0 CFNetwork/1220.1 Darwin/20.3.0`, a MAUI feature phone): only strong
            // signals or an HTTP library name count, not words such as `INDEX/004` or `Reader`,
            // nor the app's homepage unless the app dresses up as a browser after it.
            let dressedAsBrowser = tokens.product("Mozilla") != nil
            guard let position = strongMatch(in: bytes, countingContacts: dressedAsBrowser)
                ?? libraries.firstMatch(in: bytes)?.position else { return nil }
            return name(of: tokens, at: position)
        }
        // `Mozilla/5.0 Keydrop`, `Mozilla/5.0 (bang2013@atomicmail.io)`: a browser names its platform
        // or engine; claiming Mozilla with neither, and no consumer device, is a tool's disguise.
        if startsWithMozilla(bytes) && os == "Other" && !hasEngine(tokens) && tokens.comment(containing: "MSIE") == nil
            && tokens.after("Opera") == nil && !DeviceMarkers.namesConsumerDevice(tokens) {
            return name(of: tokens, at: bytes.startIndex)
        }
        // Browsers always say where they run; a UA that is neither Mozilla-compatible nor names
        // an OS or a consumer device is a library, tool or app fetcher: `curl/8.5.0`, `Zabbix`.
        if !claimsBrowser && os == "Other", let first = bytes.first, isAlphanumeric(first) {
            return name(of: tokens, at: bytes.startIndex)
        }
        if let match = keywords.firstMatch(in: bytes) {
            if browserFalsePositives.firstMatch(in: bytes) != nil, !isSelfDeclared(bytes) { return nil }
            return name(of: tokens, at: match.position)
        }
        // `Mozilla/5.0 (compatible; SomeTool/1.0)`: compatible with nothing a person runs.
        if os == "Other", tokens.comments.first.map({ $0.elementsEqual("compatible".utf8) }) == true,
           tokens.comment(containing: "MSIE") == nil, !DeviceMarkers.namesConsumerDevice(tokens),
           let tool = tokens.comments.dropFirst().first {
            return name(of: tokens, at: tool.startIndex)
        }
        return nil
    }

    static let mobileSystems: Set<String> = ["Android", "iOS", "iPadOS", "KaiOS", "Windows Phone", "BlackBerry OS"]

    /// Browser engines, whose product tokens every real browser UA carries.
    static func hasEngine(_ tokens: UserAgentTokens) -> Bool {
        tokens.product("AppleWebKit") != nil || tokens.product("Gecko") != nil || tokens.product("Presto") != nil
            || tokens.comment(prefix: "Trident") != nil || tokens.product("Trident") != nil
    }

    /// The first strong keyword in `text`; `bot` counts only at the end of a word (`Googlebot/`,
    /// `AdsBot-Google`), not inside one (`Botanica`).
    /// - Parameter countingContacts: whether contact details (``contactWords``) count.
    static func strongMatch(in text: ArraySlice<UInt8>, countingContacts: Bool) -> Int? {
        var rest = text
        while let match = strongKeywords.firstMatch(in: rest) {
            let end = match.position + 3
            let isBotInsideWord = match.keyword == 0 && end < text.endIndex
                && (isAlphanumeric(text[end]) || text[end] == 0x5F)
            let isUncountedContact = !countingContacts && match.keyword >= strongWords.count
            if !isBotInsideWord && !isUncountedContact { return match.position }
            rest = text[(match.position + 1)...]
        }
        return nil
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func startsWithMozilla(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count >= 8 && bytes.prefix(8).map(KeywordSet.lower).elementsEqual("mozilla/".utf8)
    }

    static let selfDeclared = KeywordSet(["bot", "crawl", "spider", "+http"])

    static func isSelfDeclared(_ bytes: ArraySlice<UInt8>) -> Bool {
        selfDeclared.firstMatch(in: bytes) != nil
    }

    /// The name of the word containing `position`: `Googlebot` in `(compatible; Googlebot/2.1; …)`.
    /// The name a bot is counted under.
    ///
    /// In order: a word that declares itself a robot (`Googlebot`, `Baiduspider`, `SISTRIX Crawler`),
    /// skipping contact URLs; else the word where the bot keyword matched, unless it is part of
    /// a URL; else the first word that is not a browser-compatibility token (`curl`,
    /// `YandexSitelinks` in `(compatible; YandexSitelinks; …)`); else "Other bot".
    static func name(of tokens: UserAgentTokens, at position: Int) -> String {
        let words = Self.words(tokens.bytes)
        // A bare `Crawler`, `Bot` or `checker` is named with the word before it: `Linguee Bot`.
        func named(_ index: Int) -> String {
            if genericNames.contains(words[index].family.lowercased()), index > 0, !words[index - 1].isURL,
               !compatibilityProducts.contains(words[index - 1].family) {
                return String((words[index - 1].family + " " + words[index].family).prefix(maxFamilyLength))
            }
            return words[index].family
        }
        if let index = words.firstIndex(where: { !$0.isURL && isSelfDeclared($0.name) }) { return named(index) }
        if let matched = words.firstIndex(where: { $0.range.contains(position) }), !words[matched].isURL,
           !words[matched].name.isEmpty, !compatibilityProducts.contains(words[matched].family) {
            return named(matched)
        }
        if let compatible = words.firstIndex(where: { $0.family == "compatible" }), compatible + 1 < words.count,
           !words[compatible + 1].isURL, words[compatible + 1].name.first.map(isAlphanumeric) == true {
            return words[compatible + 1].family
        }
        if let url = words.first(where: \.isURL), let host = Self.host(ofURL: tokens.bytes[url.range]) { return host }
        let named = words.first {
            !$0.isURL && $0.name.first.map(isAlphanumeric) == true && !compatibilityProducts.contains($0.family)
        }
        return named?.family ?? "Other bot"
    }

    /// `deadlinkchecker.com` from `www.deadlinkchecker.com` or `+http://www.deadlinkchecker.com/about`.
    static func host(ofURL word: ArraySlice<UInt8>) -> String? {
        var chunk = word
        if let scheme = UserAgentTokens.range(of: "://", in: chunk) { chunk = chunk[scheme.upperBound...] }
        while let first = chunk.first, first == 0x2B { chunk = chunk.dropFirst() }
        if chunk.prefix(4).map(KeywordSet.lower).elementsEqual("www.".utf8) { chunk = chunk.dropFirst(4) }
        let host = chunk.prefix { isAlphanumeric($0) || $0 == 0x2E || $0 == 0x2D }
        guard host.contains(0x2E), host.first.map(isAlphanumeric) == true else { return nil }
        return String(decoding: host.prefix(maxFamilyLength), as: UTF8.self)
    }

    static let genericNames: Set<String> = ["bot", "crawler", "spider", "robot", "webcrawler", "crawl", "checker", "scanner"]

    /// Tokens browsers and bots alike carry to look like a browser.
    static let compatibilityProducts: Set<String> = [
        "Mozilla", "AppleWebKit", "Gecko", "Chrome", "Safari", "Version", "Mobile", "Firefox", "KHTML", "like",
        "compatible", "U", "Windows", "Linux", "X11", "Macintosh", "NT", "WOW64", "Win64", "x64", "x86_64", "i686",
        "Intel",
    ]

    /// A whitespace/`;`/`()`/`[]`-delimited chunk of a UA and its name (the part before `/`).
    struct Word {
        var range: Range<Int>
        var name: ArraySlice<UInt8>
        var isURL: Bool

        var family: String {
            var name = name.drop { $0 == 0x2B }.prefix(BotSignature.maxFamilyLength)
            while let last = name.last, last == 0x2E || last == 0x2D || last == 0x3A { name = name.dropLast() }
            return String(decoding: name, as: UTF8.self)
        }
    }

    static func words(_ bytes: [UInt8]) -> [Word] {
        var words: [Word] = []
        var start = 0
        for index in 0...bytes.count {
            let byte = index < bytes.count ? bytes[index] : 0x20
            guard byte == 0x20 || byte == 0x3B || byte == 0x28 || byte == 0x29 || byte == 0x5B || byte == 0x5D
                || byte == 0x2C else { continue }
            if index > start && words.count < UserAgentTokens.maxTokens {
                let chunk = bytes[start..<index]
                let name = chunk.prefix { $0 != 0x2F }
                let lower = chunk.prefix(12).map(KeywordSet.lower)
                let isURL = lower.starts(with: "+http".utf8) || lower.starts(with: "http:".utf8)
                    || lower.starts(with: "https:".utf8) || lower.starts(with: "www.".utf8)
                    || chunk.contains(0x40) || UserAgentTokens.range(of: "://", in: chunk) != nil
                words.append(Word(range: start..<index, name: name, isURL: isURL))
            }
            start = index + 1
        }
        return words
    }

    /// Bot family names are stored per site and day; keep them short.
    static let maxFamilyLength = 48
}
