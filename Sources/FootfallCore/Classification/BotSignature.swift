/// Recognises crawlers, monitors, link-preview fetchers, headless browsers and HTTP
/// libraries from their User-Agent, and names the bot family they are counted under.
///
/// Generic keywords rather than a list of known bots: new crawlers keep appearing, and they
/// almost all say `bot`, `crawl`, `spider`, carry a contact URL, or are a library that never
/// pretends to be `Mozilla`. Measured against the crawler-user-agents list (see
/// `Fixtures/UserAgents/README.md`), which is not used to build these tables.
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

    /// Browser-looking tokens that still match a keyword, e.g. `Yandex` in `YaBrowser` UAs.
    static let browserFalsePositives = KeywordSet(["yabrowser", "yasearchbrowser", "yandexsearch/"])

    /// The bot family when the User-Agent is automated, else nil.
    /// - Parameters:
    ///   - tokens: the scanned User-Agent.
    ///   - os: the operating system it names ("Other" when none).
    static func family(of tokens: UserAgentTokens, os: String) -> String? {
        let bytes = tokens.bytes[...]
        let claimsBrowser = startsWithMozilla(bytes) || bytes.starts(with: "Opera".utf8)
        // Browsers always say where they run; a UA that is neither Mozilla-compatible nor names
        // an OS is a library, tool or app fetcher: `curl/8.5.0`, `Zabbix`, `WhatsApp/2.23.20 A`.
        if !claimsBrowser && os == "Other", let first = bytes.first, isAlphanumeric(first) {
            return name(of: tokens, at: bytes.startIndex)
        }
        if let match = keywords.firstMatch(in: bytes) {
            if browserFalsePositives.firstMatch(in: bytes) != nil, !isSelfDeclared(bytes) { return nil }
            return name(of: tokens, at: match.position)
        }
        // `Mozilla/5.0 (compatible; SomeTool/1.0)`: compatible with nothing a person runs.
        if os == "Other", tokens.comments.first.map({ $0.elementsEqual("compatible".utf8) }) == true,
           tokens.comment(containing: "MSIE") == nil, let tool = tokens.comments.dropFirst().first {
            return name(of: tokens, at: tool.startIndex)
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
    static func name(of tokens: UserAgentTokens, at position: Int) -> String {
        let bytes = tokens.bytes
        func isNameByte(_ byte: UInt8) -> Bool {
            isAlphanumeric(byte) || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x21
        }
        var start = min(position, bytes.count - 1)
        while start > 0 && isNameByte(bytes[start - 1]) { start -= 1 }
        var end = start
        while end < bytes.count && isNameByte(bytes[end]) && end - start < maxFamilyLength { end += 1 }
        var name = bytes[start..<end]
        while let last = name.last, last == 0x2E || last == 0x2D { name = name.dropLast() }
        if name.isEmpty || name.allSatisfy({ $0 == 0x2E || ($0 >= 0x30 && $0 <= 0x39) }) {
            // A URL or e-mail matched: name the bot by its first product instead.
            return tokens.products.first.map { String(decoding: $0.name.prefix(maxFamilyLength), as: UTF8.self) } ?? "Other"
        }
        return String(decoding: name, as: UTF8.self)
    }

    /// Bot family names are stored per site and day; keep them short.
    static let maxFamilyLength = 48
}
