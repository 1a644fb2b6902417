import FootfallCore
import Foundation
import Testing

/// Agreement with uap-core over real User-Agents (`Fixtures/UserAgents/corpus.tsv`).
/// Set `FOOTFALL_UA_MISMATCHES=/path` to write every disagreement there.
@Suite struct UserAgentCorpusTests {
    struct Row {
        var source: String
        var browser: String
        var browserMajor: String
        var os: String
        var osMajor: String
        var device: DeviceClass
        var isBot: Bool
        var userAgent: String
    }

    static func corpus() throws -> [Row] {
        try Fixture.tsvRows("UserAgents/corpus.tsv").map { fields in
            try #require(fields.count == 8, "malformed corpus row: \(fields)")
            return Row(
                source: fields[0], browser: fields[1], browserMajor: fields[2], os: fields[3], osMajor: fields[4],
                device: try #require(DeviceClass(rawValue: fields[5])), isBot: fields[6] == "1", userAgent: fields[7])
        }
    }

    @Test func agreesWithUAPCore() throws {
        let rows = try Self.corpus()
        #expect(rows.count >= 2000)
        let classifier = UserAgentClassifier(cacheCapacity: 0)
        var browsers = 0, browserFamilies = 0, browserFamilyAndOS = 0, browserVersions = 0, osVersions = 0, devices = 0
        var truePositives = 0, falsePositives = 0, falseNegatives = 0
        var mismatches: [String] = []
        for row in rows {
            let info = classifier.classify(row.userAgent)
            switch (row.isBot, info.isBot) {
            case (true, true): truePositives += 1
            case (false, true): falsePositives += 1; mismatches.append("FP bot\t\(info.browser)\t\(row.userAgent)")
            case (true, false): falseNegatives += 1; mismatches.append("FN bot\t\(info.browser)\t\(row.userAgent)")
            case (false, false): break
            }
            if info.device == row.device { devices += 1 } else {
                mismatches.append("device\t\(info.device) ≠ \(row.device)\t\(row.userAgent)")
            }
            // Browser and OS families are compared on browsers; a bot's "browser" is its bot family.
            guard !row.isBot else { continue }
            browsers += 1
            if info.browser == row.browser { browserFamilies += 1 }
            if info.browser == row.browser && info.os == row.os { browserFamilyAndOS += 1 } else {
                mismatches.append("family\t\(info.browser)/\(info.os) ≠ \(row.browser)/\(row.os)\t\(row.userAgent)")
            }
            if info.browser == row.browser && info.browserVersion == row.browserMajor { browserVersions += 1 }
            if info.os == row.os && info.osVersion == row.osMajor { osVersions += 1 }
        }
        let familyAgreement = Double(browserFamilyAndOS) / Double(browsers)
        let deviceAgreement = Double(devices) / Double(rows.count)
        let recall = Double(truePositives) / Double(truePositives + falseNegatives)
        let precision = Double(truePositives) / Double(truePositives + falsePositives)
        print("""
            UA corpus: \(rows.count) user agents (\(browsers) browsers, \(rows.count - browsers) bots)
              browser family      \(Self.percent(Double(browserFamilies) / Double(browsers)))
              browser + OS family \(Self.percent(familyAgreement))   (target ≥ 98%)
              browser major       \(Self.percent(Double(browserVersions) / Double(browsers)))
              OS major            \(Self.percent(Double(osVersions) / Double(browsers)))
              device class        \(Self.percent(deviceAgreement))   (target ≥ 97%)
              bot recall          \(Self.percent(recall))   (target ≥ 95%)
              bot precision       \(Self.percent(precision))   (target ≥ 99%)
            """)
        if let path = ProcessInfo.processInfo.environment["FOOTFALL_UA_MISMATCHES"] {
            try mismatches.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(familyAgreement >= 0.98)
        #expect(deviceAgreement >= 0.97)
        #expect(recall >= 0.95)
        #expect(precision >= 0.99)
    }

    static func percent(_ value: Double) -> String {
        String(format: "%.2f%%", value * 100)
    }
}
