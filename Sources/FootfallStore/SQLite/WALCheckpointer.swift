import GRDB
import Logging

/// Copies the event database's write-ahead log back into the database file from a
/// connection of its own, every ``interval``, instead of inside the commit that happens to
/// cross SQLite's 1,000-page threshold (its default `wal_autocheckpoint`, which the store
/// turns off). Such a commit used to hold the writer for 14–19 ms — the pages copied plus an
/// fsync of the database file — so about one beacon a second waited that long for its 202
/// even on an idle server: one client posting 150 beacons/s one at a time measured p99
/// 14.3 ms before, 3.4–4.1 ms after.
///
/// The checkpoints are PASSIVE (sqlite.org/c3ref/wal_checkpoint_v2.html): they take no
/// lock a writer or reader needs and copy only frames no reader still uses. The log starts
/// over only once a checkpoint copied all of it before the next commit, which steady ingest
/// rarely allows, so past ``restartFrames`` the writer's own connection copies the rest
/// between two commits, as SQLite's automatic checkpoint would, but only every 256 MB of log
/// and with most pages already copied. A failed checkpoint (a full disk) is logged once and
/// retried every interval; the WAL grows meanwhile and stays the authoritative copy of its
/// pages, so nothing is lost.
final class WALCheckpointer: Sendable {
    /// How often the log is copied back: long enough to batch many commits' pages, short
    /// enough that the log stays a few MB at the writer's full rate.
    static let interval = Duration.milliseconds(250)
    /// WAL frames (pages, 4 KB) past which the writer copies what the last passive copy missed,
    /// so that the log starts over; under sustained ingest its file stays near 270 MB (SQLite
    /// keeps a log file at its largest size, so commits append without growing it). Lightly
    /// loaded, a passive copy catches the last commit and the log starts over long before.
    ///
    /// Each finishing copy holds the writer 2–40 ms (the pages committed during the last
    /// catch-up copy and an fsync of the database file), and every beacon queued meanwhile
    /// waits for it. At half the maximum ingest rate (~6.6k beacons/s, ~24k frames/s) a
    /// threshold of 4,096 frames made that happen 3.6 times a second and the p99 13.9 ms; at
    /// 65,536, 0.37 times a second and 7.8 ms (30 s runs, `make bench ingest`'s load, 2 cores).
    /// 16,384 and 32,768 did not reliably beat 4,096: the stalls still took ~1% of the time.
    static let restartFrames = 65_536
    /// A catch-up copy that took at most this many frames leaves few (those committed while it
    /// ran) for the writer's finishing copy: at half the maximum ingest rate that copy held
    /// the writer 1–9 ms instead of 10–19 ms, mostly its two fsyncs.
    static let finishingFrames = 256
    /// Most catch-up copies before the writer finishes anyway (at the full rate they shrink
    /// slowly, if at all).
    static let catchUpRounds = 6

    private let task: Task<Void, Never>
    /// Held by each checkpoint and by ``excluding(_:)``.
    private let lock = AsyncLock()

    /// Starts checkpointing the WAL database at `path`, which `writer` (the store's pool, whose
    /// connections have `wal_autocheckpoint` off) writes.
    /// - Throws: the `DatabaseError` of opening the checkpoint connection.
    init(_ writer: DatabasePool, path: String, durability: Durability, logger: Logger) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // The copy is made durable (the database file fsynced) as the store's commits are.
            try db.execute(sql: "PRAGMA synchronous = \(durability.synchronous)")
        }
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        let lock = self.lock
        task = Task {
            var failing = false
            // Until the store is released (cancelled: the sleep throws).
            while (try? await Task.sleep(for: Self.interval)) != nil {
                do {
                    try await lock.run { try await Self.copyBack(connection, finishingWith: writer) }
                    if failing { logger.notice("WAL checkpoints of \(path) work again") }
                    failing = false
                } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
                    // Another connection to the file (a second store, a CLI command) is
                    // checkpointing it right now: its copy serves; try again next time.
                    continue
                } catch {
                    if Task.isCancelled { return }  // the store was released mid-checkpoint
                    // Logged once per outage (a full disk would otherwise log four lines a second).
                    if !failing { logger.error("WAL checkpoint of \(path) failed (retried every \(Self.interval); the log grows meanwhile): \(error)") }
                    failing = true
                }
            }
        }
    }

    /// One round: a passive copy from `connection`; past ``restartFrames``, catch-up copies and
    /// the writer's finishing copy.
    ///
    /// Under steady writes a copy rarely catches the last commit, so the log would never start
    /// over. Past the bound, copies follow each other here (each takes what commits added
    /// during the last, so they shrink), then the writer copies the few frames left between
    /// two commits (still PASSIVE: a long read never holds ingest back), after which its next
    /// commit starts the log over.
    private static func copyBack(_ connection: DatabaseQueue, finishingWith writer: DatabasePool) async throws {
        var copy = try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        var rounds = 0
        while copy.walFrameCount >= restartFrames, rounds < catchUpRounds {
            let before = copy.checkpointedFrameCount
            copy = try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            rounds += 1
            if copy.checkpointedFrameCount - before <= finishingFrames { break }
        }
        if copy.walFrameCount >= restartFrames {
            _ = try await writer.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        }
    }

    /// Runs `body` with no checkpoint of this checkpointer running beside it: for maintenance
    /// that checkpoints the log itself (VACUUM's TRUNCATE would otherwise wait on a passive
    /// copy of the whole rewritten file).
    func excluding<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await lock.run(body)
    }

    deinit {
        task.cancel()
    }
}
