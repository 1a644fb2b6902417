import Foundation

/// `footfall-bench [NAME…]`: runs the named benchmarks (all when none is named) and prints
/// each figure beside the reference measured in the same run.
let benchmarks: [any Benchmark] = [
    SessionizeBenchmark(),
    ClassifyBenchmark(),
    TrackerSizeBenchmark(),
    IPLookupBenchmark(),
    ColumnarBenchmark(),
    WriterBenchmark(),
    CompactionStallBenchmark(),
    LeadsBenchmark(),
    ClickHouseBenchmark(),
]

// Not a benchmark of its own: the server Benchmarks/ingest.sh loads as the HTTP floor.
if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "http-floor", let port = Int(CommandLine.arguments[2]) {
    try await HTTPFloorServer.run(port: port)
    exit(0)
}

let requested = Set(CommandLine.arguments.dropFirst())
let unknown = requested.subtracting(benchmarks.map(\.name))
guard unknown.isEmpty else {
    FileHandle.standardError.write(Data("unknown benchmark(s): \(unknown.sorted().joined(separator: ", ")); known: \(benchmarks.map(\.name).joined(separator: ", "))\n".utf8))
    exit(2)
}
for benchmark in benchmarks where requested.isEmpty || requested.contains(benchmark.name) {
    print("== \(benchmark.name)")
    do {
        try await benchmark.run()
    } catch {
        FileHandle.standardError.write(Data("benchmark \(benchmark.name) failed: \(error)\n".utf8))
        exit(1)
    }
}
