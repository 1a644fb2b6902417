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
        ".com", ".org", ".html", "@",
        // Headless and automated browsers.
        "headless", "phantomjs", "lighthouse", "selenium", "webdriver", "puppeteer", "playwright", "prerender",
        // Uptime monitors, link checkers, SEO and feed tools, preview fetchers.
        "monitor", "uptime", "pingdom", "check", "validator", "scan", "fetch", "preview", "externalhit", "embed",
        "feed", "rss", "reader", "seo", "analy", "index", "search", "proxy", "capture", "screenshot", "vkshare",
        "ia_archiver", "ask jeeves", "teoma",
        // HTTP libraries and command-line clients.
        "curl", "wget", "python", "java", "okhttp", "axios", "node-fetch", "undici", "go-http", "go ", "libwww",
        "lwp", "httpclient", "http-client", "http_request", "httpx", "aiohttp", "requests", "guzzle", "ruby", "perl",
        "php", "apache", "jakarta", "winhttp", "urlgrabber", "mechanize", "httrack", "grab", "download", "wordpress",
        "dart", "reqwest", "postman", "insomnia", "powershell", "libcurl", "httpie",
    ])

    /// Browser-looking tokens that still match a keyword, e.g. `Yandex` in `YaBrowser` UAs.
    static let browserFalsePositives = KeywordSet(["yabrowser", "yasearchbrowser", "yandexsearch/"])

    /// The bot family when the User-Agent is automated, else nil.
    static func family(of tokens: UserAgentTokens) -> String? {
        let bytes = tokens.bytes[...]
        // A bare `name/version` UA without a platform comment is a library or tool:
        // `curl/8.5.0`, `Go-http-client/1.1`, `WhatsApp/2.23.20 A`. Browsers always say where they run.
        if tokens.comments.isEmpty, let first = tokens.products.first,
           !first.name.elementsEqual("Mozilla".utf8), !first.name.elementsEqual("Opera".utf8) {
            return name(of: tokens, at: first.name.startIndex)
        }
        guard let match = keywords.firstMatch(in: bytes) else { return nil }
        if browserFalsePositives.firstMatch(in: bytes) != nil, !isSelfDeclared(bytes) { return nil }
        return name(of: tokens, at: match.position)
    }

    static let selfDeclared = KeywordSet(["bot", "crawl", "spider", "+http"])

    static func isSelfDeclared(_ bytes: ArraySlice<UInt8>) -> Bool {
        selfDeclared.firstMatch(in: bytes) != nil
    }

    /// The name of the word containing `position`: `Googlebot` in `(compatible; Googlebot/2.1; …)`.
    static func name(of tokens: UserAgentTokens, at position: Int) -> String {
        let bytes = tokens.bytes
        func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x21
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
