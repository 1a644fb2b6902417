import GRDB

/// Append-only migrations of the metadata database (`catalog.sqlite`).
enum CatalogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 tenants sites keys audit salts") { db in
            try db.execute(sql: """
                CREATE TABLE tenants (
                    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL
                );
                CREATE TABLE sites (
                    id INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL REFERENCES tenants(id),
                    key TEXT NOT NULL UNIQUE, name TEXT NOT NULL, domains TEXT NOT NULL,
                    ip_policy TEXT NOT NULL, honour_dnt INTEGER NOT NULL, created_at INTEGER NOT NULL
                );
                CREATE TABLE api_keys (
                    id INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL REFERENCES tenants(id),
                    name TEXT NOT NULL, prefix TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE,
                    scopes TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER
                );
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY, at INTEGER NOT NULL, tenant_id INTEGER,
                    actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL
                );
                CREATE TABLE daily_salts (day INTEGER PRIMARY KEY, salt BLOB NOT NULL);
                """)
        }
        migrator.registerMigration("v2 site tracker settings") { db in
            // JSON of FootfallCore.TrackerSettings; '{}' decodes to the defaults.
            try db.execute(sql: "ALTER TABLE sites ADD COLUMN tracker_settings TEXT NOT NULL DEFAULT '{}'")
        }
        migrator.registerMigration("v3 bot counts") { db in
            // Bot traffic is never stored as events or visits, only counted (see BotCounts.swift).
            try db.execute(sql: """
                CREATE TABLE bot_counts (
                    site_id INTEGER NOT NULL REFERENCES sites(id), day INTEGER NOT NULL,
                    family TEXT NOT NULL, signal TEXT NOT NULL, count INTEGER NOT NULL,
                    PRIMARY KEY (site_id, day, family, signal)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v4 export sinks and checkpoints") { db in
            // Sink settings hold the *name* of the secret's environment variable or file, never
            // the secret itself (see ExportSink.swift).
            try db.execute(sql: """
                CREATE TABLE export_sinks (
                    tenant_id INTEGER NOT NULL REFERENCES tenants(id), name TEXT NOT NULL,
                    kind TEXT NOT NULL, settings TEXT NOT NULL, created_at INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, name)
                ) WITHOUT ROWID;
                CREATE TABLE export_checkpoints (
                    tenant_id INTEGER NOT NULL REFERENCES tenants(id), sink TEXT NOT NULL,
                    site_id INTEGER NOT NULL, change_seq INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, sink, site_id)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
