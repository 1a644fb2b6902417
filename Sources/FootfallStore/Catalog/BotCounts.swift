import FootfallCore
import GRDB

/// Bot traffic of one site on one day, counted per bot family and detection signal.
public struct BotCount: Sendable, Equatable, Hashable {
    public var siteID: Int64
    /// Days since the Unix epoch, UTC.
    public var day: Int64
    /// "Googlebot", "curl", "WebDriver Chrome", "Data centre Firefox"…
    public var family: String
    /// How the bot was recognised: a ``BotVerdict/Signal`` raw value.
    public var signal: String
    public var count: Int

    public init(siteID: Int64, day: Int64, family: String, signal: String, count: Int) {
        self.siteID = siteID
        self.day = day
        self.family = family
        self.signal = signal
        self.count = count
    }
}

extension Catalog {
    /// Adds counts to the per-site, per-day, per-family bot tallies in one transaction.
    /// Entries with the same key are summed.
    public func addBotCounts(_ counts: [BotCount]) async throws {
        guard !counts.isEmpty else { return }
        try await pool.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT INTO bot_counts (site_id, day, family, signal, count) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (site_id, day, family, signal) DO UPDATE SET count = count + excluded.count
                """)
            for entry in counts where entry.count > 0 {
                try statement.execute(arguments: [entry.siteID, entry.day, entry.family, entry.signal, entry.count])
            }
        }
    }

    /// A site's bot counts for days `from...to` (days since the epoch), by day then largest count.
    public func botCounts(siteID: Int64, fromDay: Int64, toDay: Int64) async throws -> [BotCount] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM bot_counts WHERE site_id = ? AND day BETWEEN ? AND ?
                ORDER BY day, count DESC, family, signal
                """, arguments: [siteID, fromDay, toDay]
            ).map {
                BotCount(siteID: $0["site_id"], day: $0["day"], family: $0["family"], signal: $0["signal"], count: $0["count"])
            }
        }
    }
}
