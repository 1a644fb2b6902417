import FootfallStore
import ServiceLifecycle

/// Flushes the ``BotTally`` every second, and once more on shutdown.
struct BotCountFlusher: Service {
    let tally: BotTally
    let catalog: Catalog

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while true {
                try await Task.sleep(for: .seconds(1))
                try? await tally.flush(to: catalog)
            }
        }
        try await tally.flush(to: catalog)
    }
}
