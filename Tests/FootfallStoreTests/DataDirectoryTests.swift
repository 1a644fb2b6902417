@testable import FootfallStore
import Foundation
import Testing

/// The writer lock of a data directory: one holder at a time, named to whoever is refused,
/// free again once the holder lets go.
@Suite struct DataDirectoryTests {
    @Test func theWriterLockHasOneHolderAndNamesItToOthers() throws {
        let temporary = try TemporaryDirectory()
        let directory = DataDirectory(temporary.path + "/data")
        var server: FileLock? = try directory.lockWriter(holder: "footfall serve on port 8080")
        #expect(server != nil && FileManager.default.fileExists(atPath: directory.path))

        let pid = ProcessInfo.processInfo.processIdentifier
        #expect(throws: DataDirectoryBusy(directory: directory.path, holder: "footfall serve on port 8080 (pid \(pid))")) {
            try directory.lockWriter(holder: "footfall retention")
        }
        let refusal = try #require(throws: DataDirectoryBusy.self) { try directory.lockWriter(holder: "footfall compact") }
        #expect(refusal.description == "\(directory.path) is in use by footfall serve on port 8080 (pid \(pid))")

        server = nil
        let retention = try directory.lockWriter(holder: "footfall retention")
        #expect(FileLock.holder(at: directory.writerLockPath) == "footfall retention (pid \(pid))")
        withExtendedLifetime(retention) {}
    }

    @Test func filesHaveOneNameEach() {
        let directory = DataDirectory("/srv/footfall")
        #expect(directory.catalogPath == "/srv/footfall/catalog.sqlite")
        #expect(directory.eventsPath == "/srv/footfall/events.sqlite")
        #expect(directory.writerLockPath == "/srv/footfall/footfall.lock")
    }
}
