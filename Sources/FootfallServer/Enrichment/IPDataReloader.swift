import Dispatch
import FootfallEnrich
import Logging
import ServiceLifecycle

/// Picks up IP data imported while the server runs: polls `ipdata/generation` and, when it
/// changed, loads a complete new snapshot on a Dispatch thread (parsing a large range file
/// must not occupy the event loops or the cooperative pool) before swapping it in.
struct IPDataReloader: Service {
    let intelligence: IPIntelligence
    let interval: Duration
    let logger: Logger

    /// The server's ``IPIntelligence``: installed data, and reverse DNS when configured.
    static func intelligence(for configuration: ServerConfiguration, logger: Logger) throws -> IPIntelligence {
        let reverseDNS = configuration.reverseDNS ? ReverseDNS(suffixes: try PublicSuffixList.load()) : nil
        let intelligence = IPIntelligence(directory: configuration.ipData, reverseDNS: reverseDNS)
        report(intelligence.snapshot, logger: logger, event: "IP data loaded")
        return intelligence
    }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: interval)
                let intelligence = intelligence
                let reloaded = await withCheckedContinuation { continuation in
                    DispatchQueue.global(qos: .utility).async { continuation.resume(returning: intelligence.reloadIfChanged()) }
                }
                if let reloaded { Self.report(reloaded, logger: logger, event: "IP data reloaded") }
            }
        }
    }

    static func report(_ snapshot: IPDataSnapshot, logger: Logger, event: Logger.Message) {
        logger.info(event, metadata: [
            "mmdb": "\(snapshot.databases.map(\.name))", "csv": "\(snapshot.rangeFiles.map(\.name))",
            "custom_tenants": "\(snapshot.customRanges.keys.sorted())",
        ])
        for problem in snapshot.problems {
            logger.error("IP data file skipped", metadata: ["problem": "\(problem)"])
        }
    }
}
