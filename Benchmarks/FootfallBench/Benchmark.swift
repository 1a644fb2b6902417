import Foundation

/// One `make bench` benchmark. Implementations print figures with ``Report``.
protocol Benchmark: Sendable {
    /// Short name used on the command line.
    var name: String { get }
    func run() async throws
}

/// Prints benchmark figures in one format, `name: value unit` with the same-run
/// reference and the ratio when there is one.
enum Report {
    static func figure(_ name: String, _ value: Double, _ unit: String) {
        print("  \(name): \(format(value)) \(unit)")
    }

    /// A figure beside its reference; `higherIsBetter` says which way the ratio reads.
    static func compare(_ name: String, _ value: Double, reference: String, _ referenceValue: Double, _ unit: String) {
        let ratio = referenceValue == 0 ? .infinity : value / referenceValue
        print("  \(name): \(format(value)) \(unit)   [\(reference): \(format(referenceValue)) \(unit), ratio \(String(format: "%.2f", ratio))×]")
    }

    static func format(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.3g", value)
    }

    /// Seconds taken by `body`.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
