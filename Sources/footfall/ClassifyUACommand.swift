import ArgumentParser
import FootfallCore
import Foundation

/// `footfall classify-ua`: one User-Agent per stdin line → one JSON object per stdout line.
struct ClassifyUACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify-ua",
        abstract: "Classify User-Agent strings read one per line from stdin.",
        discussion: """
            Writes one JSON object per input line: {"browser", "browser_version", "os", "os_version", \
            "device", "bot"}. Empty, binary or invalid UTF-8 lines classify as "Other"/"other".
            """)

    /// The output record; keys are the documented snake_case names.
    struct Line: Encodable {
        var browser: String
        var browser_version: String
        var os: String
        var os_version: String
        var device: String
        var bot: Bool

        init(_ info: UserAgentInfo) {
            browser = info.browser
            browser_version = info.browserVersion
            os = info.os
            os_version = info.osVersion
            device = info.device.rawValue
            bot = info.isBot
        }
    }

    func run() throws {
        let classifier = UserAgentClassifier()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let input = FileHandle.standardInput
        let output = FileHandle.standardOutput
        var pending: [UInt8] = []
        var out: [UInt8] = []
        func emit(_ line: ArraySlice<UInt8>) throws {
            var bytes = Array(line)
            if bytes.last == 0x0D { bytes.removeLast() }  // CRLF input
            out += try encoder.encode(Line(classifier.classify(utf8: bytes)))
            out.append(0x0A)
        }
        while true {
            let chunk = input.readData(ofLength: 64 * 1024)
            if chunk.isEmpty { break }
            pending += chunk
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                try emit(pending[start..<newline])
                start = newline + 1
            }
            pending.removeSubrange(..<start)
            output.write(Data(out))
            out.removeAll(keepingCapacity: true)
        }
        if !pending.isEmpty { try emit(pending[...]) }
        output.write(Data(out))
    }
}
