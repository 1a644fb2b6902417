import GRDB

/// Opens SQLite files the way every Footfall database wants them.
enum SQLiteDatabase {
    /// A WAL-mode pool with `synchronous=FULL`: a committed transaction survives power loss,
    /// which is what a 202 from ingest promises.
    static func openPool(path: String) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        return try DatabasePool(path: path, configuration: configuration)
    }
}
