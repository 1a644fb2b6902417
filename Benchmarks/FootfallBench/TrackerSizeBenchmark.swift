import Foundation
import FootfallServer

/// The tracker's size on the wire (minified, gzipped as `/t.js` serves it) beside the size
/// of its unminified source, against the 1,500-byte gzipped budget.
struct TrackerSizeBenchmark: Benchmark {
    let name = "tracker-size"
    static let sourcePath = "TrackerJS/src/footfall.js"
    static let budget = 1500

    func run() async throws {
        guard let source = FileManager.default.contents(atPath: Self.sourcePath) else {
            throw MissingSource(path: Self.sourcePath)
        }
        let gzipped = ServedTracker.gzipped.count
        Report.compare("tracker minified", Double(ServedTracker.minified.count), reference: "unminified source",
                       Double(source.count), "bytes")
        Report.compare("tracker gzipped (served)", Double(gzipped), reference: "unminified source",
                       Double(source.count), "bytes")
        Report.figure("gzipped budget left", Double(Self.budget - gzipped), "bytes of \(Self.budget)")
    }
}

/// The tracker source was not found: the runner was started outside the repository root.
struct MissingSource: Error, CustomStringConvertible {
    let path: String

    var description: String { "\(path) not found: run footfall-bench from the repository root (Benchmarks/run.sh does)" }
}
