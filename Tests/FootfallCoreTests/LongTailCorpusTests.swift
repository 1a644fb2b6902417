import FootfallCore
import Foundation
import Testing

/// Agreement with two independent parsers (device-detector and uap-core) over long-tail real
/// User-Agents (`Fixtures/UserAgents/longtail-*.tsv`; provenance in its README). Floors are
/// asserted on the held-out part, which the classifier was not tuned on. Set
/// `FOOTFALL_UA_MISMATCHES=/path` to write the disagreements of the *tuning* part there.
@Suite struct LongTailCorpusTests {
    struct Row {
        var source, browser, os, device, bot, userAgent: String
    }

    /// Per-field agreement over the rows whose field both labellers agreed on.
    struct Agreement {
        var browser = Tally(), os = Tally(), device = Tally()
        var truePositives = 0, falsePositives = 0, falseNegatives = 0
        var mismatches: [String] = []

        struct Tally {
            var agreed = 0, total = 0
            var ratio: Double { total == 0 ? 1 : Double(agreed) / Double(total) }
            mutating func add(_ same: Bool) { total += 1; agreed += same ? 1 : 0 }
        }

        var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
        var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
    }

    static func rows(_ part: String) throws -> [Row] {
        try Fixture.tsvRows("UserAgents/longtail-\(part).tsv").map { fields in
            try #require(fields.count == 6, "malformed corpus row: \(fields)")
            return Row(source: fields[0], browser: fields[1], os: fields[2], device: fields[3], bot: fields[4], userAgent: fields[5])
        }
    }

    static func measure(_ rows: [Row]) -> Agreement {
        let classifier = UserAgentClassifier(cacheCapacity: 0)
        var result = Agreement()
        for row in rows {
            let info = classifier.classify(row.userAgent)
            if row.bot != "?" {
                switch (row.bot == "1", info.isBot) {
                case (true, true): result.truePositives += 1
                case (false, true): result.falsePositives += 1; result.mismatches.append("FP bot\t\(info.browser)\t\(row.userAgent)")
                case (true, false): result.falseNegatives += 1; result.mismatches.append("FN bot\t\(info.browser)\t\(row.userAgent)")
                case (false, false): break
                }
            }
            if row.device != "?" {
                result.device.add(info.device.rawValue == row.device)
                if info.device.rawValue != row.device {
                    result.mismatches.append("device\t\(info.device) ≠ \(row.device)\t\(row.userAgent)")
                }
            }
            guard row.bot == "0" else { continue }
            if row.browser != "?" {
                result.browser.add(info.browser == row.browser)
                if info.browser != row.browser { result.mismatches.append("browser\t\(info.browser) ≠ \(row.browser)\t\(row.userAgent)") }
            }
            if row.os != "?" {
                result.os.add(info.os == row.os)
                if info.os != row.os { result.mismatches.append("os\t\(info.os) ≠ \(row.os)\t\(row.userAgent)") }
            }
        }
        return result
    }

    static func report(_ name: String, _ result: Agreement) -> String {
        """
        long-tail UA corpus, \(name): browser \(UserAgentCorpusTests.percent(result.browser.ratio)) of \(result.browser.total), \
        OS \(UserAgentCorpusTests.percent(result.os.ratio)) of \(result.os.total), \
        device \(UserAgentCorpusTests.percent(result.device.ratio)) of \(result.device.total), \
        bot precision \(UserAgentCorpusTests.percent(result.precision)), \
        recall \(UserAgentCorpusTests.percent(result.recall)) of \(result.truePositives + result.falseNegatives)
        """
    }

    @Test func agreesWithTwoParsersOnTheHeldOutPart() throws {
        let tuning = Self.measure(try Self.rows("tuning"))
        let heldOut = Self.measure(try Self.rows("heldout"))
        print(Self.report("tuning", tuning))
        print(Self.report("held-out", heldOut))
        if let path = ProcessInfo.processInfo.environment["FOOTFALL_UA_MISMATCHES"] {
            try tuning.mismatches.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(heldOut.browser.total >= 500 && heldOut.os.total >= 500 && heldOut.device.total >= 1000)
        // Floors just under what the classifier reaches (README). The goal is ≥ 0.98 per
        // field and bot precision ≥ 0.99, recall ≥ 0.97; precision is not met: the labels count
        // HTTP libraries and apps that name neither a browser nor a platform as people
        // (Fixtures/UserAgents/README.md).
        #expect(heldOut.browser.ratio >= 0.985)
        #expect(heldOut.os.ratio >= 0.99)
        #expect(heldOut.device.ratio >= 0.98)
        #expect(heldOut.precision >= 0.92)
        #expect(heldOut.recall >= 0.97)
    }
}
