import FootfallCore
import Foundation

/// User-Agent and referrer classification throughput on one core.
///
/// - distinct UAs/s: every corpus UA classified with the cache off (each call does the full
///   scan), against a same-run reference that only lower-cases the UA and runs 23
///   `String.contains` checks (the foundation's bot test alone).
/// - cached UAs/s: 1,000 UAs repeated, as a busy site's traffic is.
/// - referrers/s: the referrer fixture, against `URLParts` parsing alone.
/// - adversarial: a 10 KB hostile UA, against a normal browser UA.
struct ClassifyBenchmark: Benchmark {
    let name = "classify"

    static let fixtures = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Most time one hostile 10 KB User-Agent may take.
    static let adversarialBound = 0.001

    static let referenceTokens = [
        "bot", "crawler", "spider", "slurp", "headlesschrome", "phantomjs", "python-", "curl/", "wget/",
        "go-http-client", "java/", "okhttp", "axios", "node-fetch", "libwww", "httpclient", "scrapy",
        "monitor", "pingdom", "uptime", "preview", "facebookexternalhit", "lighthouse",
    ]

    func run() async throws {
        let userAgents = try Self.column(7, of: "UserAgents/corpus.tsv")
        let rounds = 20
        let uncached = UserAgentClassifier(cacheCapacity: 0)
        var bots = 0
        let seconds = Report.time {
            for _ in 0..<rounds { for ua in userAgents where uncached.classify(ua).isBot { bots += 1 } }
        }
        var referenceBots = 0
        let referenceSeconds = Report.time {
            for _ in 0..<rounds {
                for ua in userAgents {
                    let lower = ua.lowercased()
                    if Self.referenceTokens.contains(where: { lower.contains($0) }) { referenceBots += 1 }
                }
            }
        }
        precondition(bots > 0 && referenceBots > 0)
        let calls = Double(userAgents.count * rounds)
        Report.compare(
            "distinct UAs (uncached, \(userAgents.count) corpus UAs)", calls / seconds,
            reference: "lowercase + 23 String.contains", calls / referenceSeconds, "UAs/s")

        let cached = UserAgentClassifier()
        let hot = Array(userAgents.prefix(1000))
        for ua in hot { _ = cached.classify(ua) }
        let cachedSeconds = Report.time { for _ in 0..<200 { for ua in hot { _ = cached.classify(ua) } } }
        Report.compare(
            "cached UAs (1,000 repeating)", Double(hot.count * 200) / cachedSeconds,
            reference: "uncached", calls / seconds, "UAs/s")

        let referrers = try Fixture(Self.fixtures).referrerPairs()
        let classifier = ReferrerClassifier()
        var media = 0
        let referrerSeconds = Report.time {
            for _ in 0..<200 {
                for (url, referrer) in referrers where classifier.classify(url: url, referrer: referrer, siteDomains: ["acme.com"]).medium != .direct {
                    media += 1
                }
            }
        }
        var hosts = 0
        let parseSeconds = Report.time {
            for _ in 0..<200 { for (url, referrer) in referrers { hosts += URLParts(referrer).host.count + URLParts(url).queryItems.count } }
        }
        precondition(media > 0 && hosts > 0)
        Report.compare(
            "referrers", Double(referrers.count * 200) / referrerSeconds,
            reference: "URLParts parse only", Double(referrers.count * 200) / parseSeconds, "classifications/s")

        let hostile = [
            String(repeating: "(", count: 10_240),
            "Mozilla/5.0 (" + String(repeating: "a;", count: 5_120) + ")",
            String(repeating: "Chrome/1.", count: 1_138),
            String(repeating: "b", count: 10_240),
        ]
        let normal = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
        var worst = 0.0
        for ua in hostile {
            let perCall = Report.time { for _ in 0..<1_000 { _ = uncached.classify(ua) } } / 1_000
            worst = max(worst, perCall)
        }
        let normalPerCall = Report.time { for _ in 0..<1_000 { _ = uncached.classify(normal) } } / 1_000
        Report.compare("10 KB adversarial UA (worst of 4)", worst * 1e6, reference: "normal Chrome UA", normalPerCall * 1e6, "µs/call")
        // The input cap and the linear scanner bound every UA's cost; 1 ms would mean a regression
        // to backtracking or unbounded work.
        guard worst < Self.adversarialBound else {
            FileHandle.standardError.write(Data("adversarial UA took \(worst * 1e6) µs, over the 1 ms bound\n".utf8))
            exit(1)
        }
    }

    static func column(_ index: Int, of path: String) throws -> [String] {
        try Fixture(fixtures).rows(path).map { $0[index] }
    }
}

/// Tab-separated fixture files.
private struct Fixture {
    let root: URL

    init(_ root: URL) {
        self.root = root
    }

    func rows(_ path: String) throws -> [[String]] {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    func referrerPairs() throws -> [(String, String)] {
        try rows("Referrers/referrers.tsv").map { ($0[0], $0[1]) }
    }
}
