import GRDB

/// Opens SQLite files the way every Footfall database wants them.
enum SQLiteDatabase {
    /// A WAL-mode pool; with ``Durability/full`` (the default) a committed transaction
    /// survives power loss (its writer fsyncs the WAL at every commit), which is what a 202
    /// from ingest promises.
    /// - Parameters:
    ///   - secureDelete: overwrite deleted content with zeros (the catalog: a deleted salt
    ///     must not survive in free pages).
    ///   - autoCheckpoint: let a commit copy the WAL back into the file once it passes 1,000
    ///     pages (SQLite's default); off where a ``WALCheckpointer`` does it instead.
    static func openPool(
        path: String, durability: Durability = .full, secureDelete: Bool = false, autoCheckpoint: Bool = true
    ) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // The writer: 16 MB page cache instead of SQLite's 2 MB, as the unique index on
            // random event ids otherwise turns every insert into random reads once the hot
            // table outgrows it. 32 MB (until 2026-12-01) measured the same within noise
            // (release, 2 cores): ingest 13.0–13.5k vs 12.8–13.1k beacons/s, leads loading
            // 8.6–9.5k vs 8.7–8.9k page views/s, the writer bench alike, while it held 16–18 MB
            // more at the ingest bench's peak; 8 MB loaded leads ~5% slower.
            // Readers: 8 MB. In WAL mode a reader drops its whole cache when
            // a transaction starts after another connection's commit, so under ingest a larger
            // one only held memory (heaptrack: 32 MB for one compaction read, up to 32 MB per
            // reader). `make bench columnar` (845k page views, no ingest) answered the same
            // with 8 MB as with 32 MB, within its run-to-run noise; with 2 MB the breakdowns
            // took 1.5× as long.
            try db.execute(sql: "PRAGMA cache_size = \(db.configuration.readonly ? -8000 : -16000)")
            if secureDelete { try db.execute(sql: "PRAGMA secure_delete = ON") }
            if !autoCheckpoint { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        // Set on the writer once the pool is open, not in `prepareDatabase`: GRDB's WAL setup
        // (`Database.setUpWALMode`) sets `synchronous = NORMAL` after that ran, so a `full`
        // store fsynced a commit only at checkpoints (a 202 survived a process crash but not
        // power loss). Readers write nothing, so their level does not matter.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = \(durability.synchronous)") }
        return pool
    }
}
