import Foundation

/// A deterministic pseudo-random generator (SplitMix64) so generated traffic is reproducible.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Realistic synthetic traffic for benchmarks, demos and property tests: Zipf-popular
/// pages, 1–20 page views per visit, engagement beacons (some sent late on pagehide),
/// clicks, a few thousand organisations, returning visitors, campaigns and bots.
///
/// Events come out in chunks in time order (as the server would receive them), so a
/// stream of millions of page views never has to sit in memory at once.
public struct TrafficGenerator: Sendable {
    /// The shape of the generated traffic.
    public struct Configuration: Sendable {
        public var siteID: Int64 = 1
        /// Page views to generate (approximately; whole visits are generated).
        public var pageviews: Int
        public var start: Int64 = 1_700_000_000_000
        /// Mean gap between visit starts, milliseconds.
        public var meanVisitGapMs: Double = 400
        public var distinctPages = 2_000
        public var organisations = 3_000
        /// Share of visits from bots (the ingest pipeline drops them).
        public var botShare = 0.03
        public var seed: UInt64 = 42

        public init(pageviews: Int) { self.pageviews = pageviews }
    }

    public let configuration: Configuration
    private var random: SeededRandom
    private var clock: Int64
    private var generated = 0
    private var visitCount = 0
    private var pending: [Event] = []
    private let pagePaths: [String]
    private let pageWeights: [Double]
    private let organisationWeights: [Double]

    public init(configuration: Configuration) {
        self.configuration = configuration
        random = SeededRandom(seed: configuration.seed)
        clock = configuration.start
        let sections = ["docs", "blog", "product", "help", "customers", "careers", "integrations", "changelog"]
        pagePaths = ["/", "/pricing", "/contact", "/about", "/signup", "/login"]
            + (0..<max(0, configuration.distinctPages - 6)).map { "/\(sections[$0 % sections.count])/\(Self.slug($0))" }
        pageWeights = Self.zipfCumulative(count: pagePaths.count, exponent: 1.1)
        organisationWeights = Self.zipfCumulative(count: configuration.organisations, exponent: 0.9)
    }

    /// Whether all page views have been generated and handed out.
    public var isFinished: Bool { generated >= configuration.pageviews && pending.isEmpty }

    /// The next events in time order (empty once finished). Visits in flight across the
    /// chunk boundary continue in the next chunk.
    public mutating func nextChunk(visits: Int = 2_000) -> [Event] {
        var produced = 0
        while produced < visits && generated < configuration.pageviews {
            pending += visitEvents()
            produced += 1
        }
        let frontier = generated >= configuration.pageviews ? Int64.max : clock
        pending.sort { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
        let ready = pending.prefix { $0.timestamp < frontier }
        defer { pending.removeFirst(ready.count) }
        return Array(ready)
    }

    /// All events of a small stream at once, in time order.
    public static func events(_ configuration: Configuration) -> [Event] {
        var generator = TrafficGenerator(configuration: configuration)
        var events: [Event] = []
        while !generator.isFinished { events += generator.nextChunk() }
        return events
    }

    private mutating func visitEvents() -> [Event] {
        clock += Int64(-configuration.meanVisitGapMs * log(1 - Double.random(in: 0..<1, using: &random)))
        visitCount += 1
        let isBot = Double.random(in: 0..<1, using: &random) < configuration.botShare
        // Returning visitors: a visitor pool a third the size of the visit count.
        let visitor = VisitorID(bitPattern: UInt64.random(in: 0...UInt64(max(1, visitCount / 3)), using: &random) &* 0x9e37_79b9_7f4a_7c15)
        let count = isBot ? Int.random(in: 10...40, using: &random) : pageviewCount()
        let source = trafficSource()
        let userAgent = isBot
            ? UserAgentInfo(browser: "Googlebot", browserVersion: "2.1", os: "", osVersion: "", device: .bot, isBot: true)
            : userAgentInfo()
        let network = networkInfo()
        var events: [Event] = []
        var time = clock
        for index in 0..<count {
            let path = pagePaths[Self.pick(pageWeights, &random)]
            let pageLoad = randomID(at: time)
            events.append(Event(
                id: randomID(at: time), siteID: configuration.siteID, visitorID: visitor, type: .pageview, timestamp: time,
                url: "https://acme.example" + path + (index == 0 && !source.campaign.isEmpty ? "?utm_campaign=\(source.campaign)" : ""),
                path: path, referrer: index == 0 ? referrer(for: source) : "https://acme.example/",
                pageLoadID: pageLoad, screen: ScreenSize(width: 1920, height: 1080, viewportWidth: 1600, viewportHeight: 900),
                language: "en-US", timeZone: "Europe/Berlin", userAgent: userAgent,
                source: index == 0 ? source : TrafficSource(medium: .internal, source: "", campaign: source.campaign),
                network: network))
            generated += 1
            let dwell = isBot ? Int64.random(in: 200...2_000, using: &random) : Int64.random(in: 5_000...180_000, using: &random)
            if !isBot && Double.random(in: 0..<1, using: &random) < 0.7 {
                // The pagehide beacon: usually when leaving, sometimes much later (a tab left open).
                let late = Double.random(in: 0..<1, using: &random) < 0.05 ? Int64.random(in: 1_800_000...7_200_000, using: &random) : 0
                events.append(Event(
                    id: randomID(at: time + dwell), siteID: configuration.siteID, visitorID: visitor, type: .engagement,
                    timestamp: time + dwell + late, url: "https://acme.example" + path, path: path, pageLoadID: pageLoad,
                    engagedMs: dwell * Int64.random(in: 3...10, using: &random) / 10,
                    maxScrollPercent: Int.random(in: 0...100, using: &random), userAgent: userAgent, source: .direct, network: network))
            }
            if !isBot && Double.random(in: 0..<1, using: &random) < 0.1 {
                events.append(Event(
                    id: randomID(at: time + dwell / 2), siteID: configuration.siteID, visitorID: visitor, type: .click,
                    timestamp: time + dwell / 2, url: "https://acme.example" + path, path: path, pageLoadID: pageLoad,
                    clickTarget: "https://github.com/acme", userAgent: userAgent, network: network))
            }
            time += dwell
        }
        return events
    }

    private mutating func pageviewCount() -> Int {
        // 1–20 page views, most visits short: P(n) ∝ n^-1.3.
        let weights = (1...20).map { pow(Double($0), -1.3) }
        var target = Double.random(in: 0..<weights.reduce(0, +), using: &random)
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index + 1 }
        }
        return 20
    }

    private mutating func trafficSource() -> TrafficSource {
        switch Double.random(in: 0..<1, using: &random) {
        case ..<0.45: .direct
        case ..<0.75: TrafficSource(medium: .search, source: ["Google", "Bing", "DuckDuckGo"].randomElement(using: &random)!, campaign: "")
        case ..<0.85: TrafficSource(medium: .social, source: ["LinkedIn", "Twitter", "Reddit"].randomElement(using: &random)!, campaign: "")
        case ..<0.93: TrafficSource(medium: .referral, source: "news.ycombinator.com", campaign: "")
        default: TrafficSource(medium: .paid, source: "google", campaign: ["spring-launch", "retargeting", "webinar-q3"].randomElement(using: &random)!)
        }
    }

    private func referrer(for source: TrafficSource) -> String {
        switch source.medium {
        case .direct, .internal: ""
        case .search: "https://www.\(source.source.lowercased()).com/"
        case .social: "https://\(source.source.lowercased()).com/"
        default: "https://\(source.source)/"
        }
    }

    private mutating func userAgentInfo() -> UserAgentInfo {
        let mobile = Double.random(in: 0..<1, using: &random) < 0.35
        let browser = mobile ? ["Safari", "Chrome"].randomElement(using: &random)! : ["Chrome", "Firefox", "Edge", "Safari"].randomElement(using: &random)!
        let os = mobile ? (browser == "Safari" ? "iOS" : "Android") : ["Windows", "macOS", "Linux"].randomElement(using: &random)!
        return UserAgentInfo(
            browser: browser, browserVersion: "\(Int.random(in: 118...131, using: &random))", os: os,
            osVersion: mobile ? "17" : "10", device: mobile ? .mobile : .desktop, isBot: false)
    }

    private mutating func networkInfo() -> NetworkInfo {
        let country = ["DE", "US", "GB", "FR", "NL", "SE", "IN", "BR"].randomElement(using: &random)!
        guard Double.random(in: 0..<1, using: &random) < 0.4 else {
            return NetworkInfo(
                organisation: ["Deutsche Telekom AG", "Comcast Cable", "Vodafone GmbH", "Orange S.A."].randomElement(using: &random)!,
                domain: "", asn: 3320, networkType: .isp, country: country, storedIP: "")
        }
        let index = Self.pick(organisationWeights, &random)
        return NetworkInfo(
            organisation: "Organisation \(Self.slug(index)) Ltd", domain: "\(Self.slug(index)).example",
            asn: 64_512 + index, networkType: index % 10 == 0 ? .education : .business, country: country, storedIP: "")
    }

    private mutating func randomID(at time: Int64) -> String {
        // Like the tracker's rand(): 8 random base-36 characters then the time in base 36.
        String(UInt64.random(in: 0..<2_821_109_907_456, using: &random), radix: 36) + String(time, radix: 36)
    }

    static func slug(_ index: Int) -> String {
        let syllables = ["ka", "lo", "mi", "nu", "pe", "ra", "so", "ti", "vu", "xe"]
        var value = index
        var parts: [String] = []
        repeat {
            parts.append(syllables[value % syllables.count])
            value /= syllables.count
        } while value > 0
        return parts.joined() + "-\(index)"
    }

    static func zipfCumulative(count: Int, exponent: Double) -> [Double] {
        var total = 0.0
        return (1...max(1, count)).map { rank in
            total += 1 / pow(Double(rank), exponent)
            return total
        }
    }

    static func pick(_ cumulative: [Double], _ random: inout SeededRandom) -> Int {
        let target = Double.random(in: 0..<cumulative.last!, using: &random)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] <= target { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
