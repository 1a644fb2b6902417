import FootfallCore
import Foundation
import GRDB

/// Append-only migrations of the event database (`events.sqlite`).
enum EventSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 events and visits") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                    site_id INTEGER NOT NULL, event_id TEXT NOT NULL, visitor_id INTEGER NOT NULL,
                    type TEXT NOT NULL, ts INTEGER NOT NULL, url TEXT NOT NULL, path TEXT NOT NULL,
                    referrer TEXT NOT NULL, page_load_id TEXT NOT NULL, spa INTEGER NOT NULL,
                    screen_w INTEGER NOT NULL, screen_h INTEGER NOT NULL,
                    viewport_w INTEGER NOT NULL, viewport_h INTEGER NOT NULL,
                    language TEXT NOT NULL, time_zone TEXT NOT NULL,
                    engaged_ms INTEGER NOT NULL, max_scroll INTEGER NOT NULL,
                    click_target TEXT NOT NULL, custom_name TEXT NOT NULL, custom_props TEXT NOT NULL,
                    geo_lat REAL, geo_lon REAL, geo_accuracy REAL,
                    browser TEXT NOT NULL, browser_version TEXT NOT NULL, os TEXT NOT NULL,
                    os_version TEXT NOT NULL, device TEXT NOT NULL, is_bot INTEGER NOT NULL,
                    medium TEXT NOT NULL, source TEXT NOT NULL, campaign TEXT NOT NULL,
                    organisation TEXT NOT NULL, org_domain TEXT NOT NULL, asn INTEGER NOT NULL,
                    network_type TEXT NOT NULL, country TEXT NOT NULL, stored_ip TEXT NOT NULL,
                    UNIQUE (site_id, event_id)
                );
                CREATE INDEX events_by_site_time ON events (site_id, ts);
                CREATE TABLE visits (
                    id INTEGER PRIMARY KEY, site_id INTEGER NOT NULL, visitor_id INTEGER NOT NULL,
                    started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL,
                    entry_page TEXT NOT NULL, exit_page TEXT NOT NULL, pageviews INTEGER NOT NULL,
                    pages TEXT NOT NULL, engaged_ms INTEGER NOT NULL, max_scroll INTEGER NOT NULL,
                    clicks INTEGER NOT NULL, custom_events INTEGER NOT NULL, referrer TEXT NOT NULL,
                    medium TEXT NOT NULL, source TEXT NOT NULL, campaign TEXT NOT NULL,
                    browser TEXT NOT NULL, browser_version TEXT NOT NULL, os TEXT NOT NULL,
                    os_version TEXT NOT NULL, device TEXT NOT NULL,
                    organisation TEXT NOT NULL, org_domain TEXT NOT NULL, asn INTEGER NOT NULL,
                    network_type TEXT NOT NULL, country TEXT NOT NULL
                );
                CREATE INDEX visits_by_site_start ON visits (site_id, started_at, id);
                CREATE INDEX visits_by_end ON visits (ended_at);
                """)
        }
        migrator.registerMigration("v2 columnar segments") { db in
            // Cold data: per-column blobs of closed visits (and their page views) and of old
            // events, with zone maps on the segment row for pruning. See ColumnSegmentStore.
            try db.execute(sql: """
                CREATE TABLE segments (
                    id INTEGER PRIMARY KEY, site_id INTEGER NOT NULL, kind TEXT NOT NULL,
                    row_count INTEGER NOT NULL, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL,
                    min_org TEXT NOT NULL, max_org TEXT NOT NULL, created_at INTEGER NOT NULL
                );
                CREATE INDEX segments_by_site_time ON segments (site_id, kind, min_ts);
                CREATE TABLE segment_columns (
                    segment_id INTEGER NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
                    name TEXT NOT NULL, encoding TEXT NOT NULL, raw_size INTEGER NOT NULL,
                    compressed INTEGER NOT NULL, checksum INTEGER NOT NULL, data BLOB NOT NULL,
                    PRIMARY KEY (segment_id, name)
                );
                CREATE INDEX events_by_site_visitor_time ON events (site_id, visitor_id, ts);
                """)
        }
        migrator.registerMigration("v3 leads") { db in
            // Leads are maintained from the visits (LeadMaintenance); see Leads/LeadRow.swift.
            try db.execute(sql: LeadRow.schema)
        }
        migrator.registerMigration("v4 network region city match source") { db in
            // Which IP-intelligence layer named the organisation, and region/city when the
            // data has them: carried event → visit → lead (match source gives lead confidence).
            try db.execute(sql: """
                ALTER TABLE events ADD COLUMN region TEXT NOT NULL DEFAULT '';
                ALTER TABLE events ADD COLUMN city TEXT NOT NULL DEFAULT '';
                ALTER TABLE events ADD COLUMN match_source TEXT NOT NULL DEFAULT 'unknown';
                ALTER TABLE visits ADD COLUMN region TEXT NOT NULL DEFAULT '';
                ALTER TABLE visits ADD COLUMN city TEXT NOT NULL DEFAULT '';
                ALTER TABLE visits ADD COLUMN match_source TEXT NOT NULL DEFAULT 'unknown';
                """)
        }
        migrator.registerMigration("v5 compacted event ids") { db in
            // Ids of events compacted into segments in the last day, so a retried beacon is
            // stored once even after its hot row is gone (see RecentEventIDs).
            try db.execute(sql: """
                CREATE TABLE compacted_event_ids (
                    site_id INTEGER NOT NULL, event_id TEXT NOT NULL, ts INTEGER NOT NULL,
                    PRIMARY KEY (site_id, event_id)
                ) WITHOUT ROWID;
                CREATE INDEX compacted_event_ids_by_ts ON compacted_event_ids (ts);
                """)
        }
        migrator.registerMigration("v6 lead documents") { db in
            // Each lead also as the Lead API serves it (LeadJSON), so lists are read without
            // decoding and re-encoding every lead (see LeadRow.readColumns).
            try db.execute(sql: "ALTER TABLE leads ADD COLUMN document TEXT NOT NULL DEFAULT ''")
            for row in try Row.fetchAll(db, sql: "SELECT id, change_seq, updated_at, lead FROM leads") {
                var lead = try JSONDecoder().decode(Lead.self, from: Data((row["lead"] as String).utf8))
                lead.changeSeq = row["change_seq"]
                lead.updatedAt = row["updated_at"]
                try db.execute(
                    sql: "UPDATE leads SET document = ? WHERE id = ?", arguments: [try LeadRow.document(lead), row["id"] as String])
            }
        }
        migrator.registerMigration("v7 lead counts") { db in
            // Visitors and pages leave the tally for rows of lead_counts, so a commit no longer
            // rewrites JSON that grows with the lead; the lead is read from its document, and
            // its own JSON column goes. An old tally's visitors and pages are exactly the
            // changes a new, empty lead would have pending.
            try db.execute(sql: LeadCounts.schema)
            var settings: [Int64: LeadSettings] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, site_id, tally FROM leads") {
                let siteID: Int64 = row["site_id"]
                if settings[siteID] == nil { settings[siteID] = try LeadSite.fetch(db, siteID: siteID)?.settings ?? LeadSettings() }
                var stored = StoredTally(tally: try JSONDecoder().decode(LeadTally.self, from: Data((row["tally"] as String).utf8)))
                try stored.flush(leadID: row["id"], settings: settings[siteID]!, db)
                try db.execute(
                    sql: "UPDATE leads SET tally = ? WHERE id = ?", arguments: [LeadRow.tallyValue(stored), row["id"] as String])
            }
            try db.execute(sql: "ALTER TABLE leads DROP COLUMN lead")
        }
        migrator.registerMigration("v8 covering lead list indexes") { db in
            // A list by score with a time range (the Lead API's default) walks the score index
            // in order and tests last_seen and visits in it, stopping at the page's end; without
            // them SQLite read every lead in the range and sorted them (10M page views: ~16k
            // leads per request). Likewise a list by last_seen with a minimum score.
            try db.execute(sql: """
                DROP INDEX leads_by_site_score;
                CREATE INDEX leads_by_site_score ON leads (site_id, score, id, last_seen, visits);
                DROP INDEX leads_by_site_last_seen;
                CREATE INDEX leads_by_site_last_seen ON leads (site_id, last_seen, id, score, visits);
                """)
        }
        migrator.registerMigration("v9 pending lead visits") { db in
            // Leads follow the visit commit instead of being rebuilt inside it: the commit
            // records the visits it changed, a settle folds them into their leads. New
            // lead_visits contributions are ContributionRecord blobs; old JSON rows still read.
            try db.execute(sql: LeadPendingVisits.schema)
        }
        migrator.registerMigration("v10 pending visits of a remote visit store") { db in
            // The ClickHouse backend keeps its lead tables in a file of this schema and marks
            // the visits it wrote to ClickHouse with their key and a mark counter.
            try db.execute(sql: LeadPendingVisits.remoteColumns)
        }
        migrator.registerMigration("v11 no event index by visitor") { db in
            // Every insert went to a random page of this index (visitor ids are hashes): a
            // third of the log's bytes per event. Only the restart read used it, and it reads
            // by time now (SQLiteEventStore.openVisitEvents).
            try db.execute(sql: "DROP INDEX events_by_site_visitor_time")
        }
        return migrator
    }
}
