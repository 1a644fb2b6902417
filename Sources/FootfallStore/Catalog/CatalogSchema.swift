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
        migrator.registerMigration("v4 api key expiry, sites and last use") { db in
            // site_ids: comma-separated site ids the key is restricted to; NULL = every site of the tenant.
            try db.execute(sql: """
                ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
                ALTER TABLE api_keys ADD COLUMN site_ids TEXT;
                ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER;
                """)
        }
        migrator.registerMigration("v5 audit request columns") { db in
            // One row per API request: the key, the route template, its target and the status.
            try db.execute(sql: """
                ALTER TABLE audit_log ADD COLUMN key_id INTEGER;
                ALTER TABLE audit_log ADD COLUMN route TEXT NOT NULL DEFAULT '';
                ALTER TABLE audit_log ADD COLUMN target TEXT NOT NULL DEFAULT '';
                ALTER TABLE audit_log ADD COLUMN status INTEGER;
                CREATE INDEX audit_log_tenant ON audit_log (tenant_id, id);
                """)
        }
        migrator.registerMigration("v6 tenant quotas and usage") { db in
            // month: 'YYYY-MM' (UTC). Quotas NULL = unlimited.
            try db.execute(sql: """
                CREATE TABLE tenant_quotas (
                    tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id),
                    api_calls_per_month INTEGER, visitors_per_month INTEGER
                );
                CREATE TABLE usage_api_calls (
                    tenant_id INTEGER NOT NULL, month TEXT NOT NULL, count INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, month)
                ) WITHOUT ROWID;
                CREATE TABLE usage_visitors (
                    tenant_id INTEGER NOT NULL, month TEXT NOT NULL, visitor_id INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, month, visitor_id)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v7 privacy settings, audit chain") { db in
            // JSON of FootfallCore.PrivacySettings; '{}' decodes to the defaults.
            try db.execute(sql: """
                ALTER TABLE sites ADD COLUMN privacy_settings TEXT NOT NULL DEFAULT '{}';
                ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
                ALTER TABLE audit_log ADD COLUMN hash TEXT NOT NULL DEFAULT '';
                CREATE TABLE audit_checkpoints (
                    id INTEGER PRIMARY KEY, at INTEGER NOT NULL, last_id INTEGER NOT NULL,
                    last_hash TEXT NOT NULL, pruned INTEGER NOT NULL, signature TEXT NOT NULL
                );
                """)
            // See AuditChain: rows written before the chain existed are chained as they stand.
            try AuditChain.chainExisting(db)
        }
        migrator.registerMigration("v8 site lead settings") { db in
            // JSON of FootfallCore.LeadSettings; '{}' decodes to the defaults.
            try db.execute(sql: "ALTER TABLE sites ADD COLUMN lead_settings TEXT NOT NULL DEFAULT '{}'")
        }
        migrator.registerMigration("v9 export sinks and checkpoints") { db in
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
        migrator.registerMigration("v10 site shields") { db in
            // JSON of FootfallCore.Shields; '{}' decodes to no shields.
            try db.execute(sql: "ALTER TABLE sites ADD COLUMN shields TEXT NOT NULL DEFAULT '{}'")
        }
        migrator.registerMigration("v11 signed audit head") { db in
            // One row: the audit chain's newest id and hash, HMAC-signed (AuditChain.signHead).
            try db.execute(sql: """
                CREATE TABLE audit_head (
                    id INTEGER PRIMARY KEY CHECK (id = 1), last_id INTEGER NOT NULL,
                    last_hash TEXT NOT NULL, signature TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v12 lead alerts") { db in
            // Rule settings hold the *name* of the secret's environment variable or file (the
            // webhook signing key, the Slack webhook URL), never the secret (see AlertRule.swift).
            // The feed checkpoint, the leads' last seen states and the queued deliveries are
            // written in one transaction per feed page (see AlertFeed.swift).
            try db.execute(sql: """
                CREATE TABLE alert_rules (
                    tenant_id INTEGER NOT NULL REFERENCES tenants(id), name TEXT NOT NULL,
                    site_id INTEGER NOT NULL REFERENCES sites(id), trigger_kind TEXT NOT NULL, trigger_parameter TEXT,
                    channel TEXT NOT NULL, settings TEXT NOT NULL, created_at INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, name)
                ) WITHOUT ROWID;
                CREATE TABLE alert_feed_checkpoints (
                    tenant_id INTEGER PRIMARY KEY REFERENCES tenants(id), change_seq INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE alert_feed_baseline (id INTEGER PRIMARY KEY CHECK (id = 1), completed_at INTEGER NOT NULL);
                CREATE TABLE alert_lead_snapshots (
                    lead_id TEXT PRIMARY KEY, tenant_id INTEGER NOT NULL, snapshot TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE alert_deliveries (
                    id TEXT PRIMARY KEY, tenant_id INTEGER NOT NULL, rule TEXT NOT NULL, site_id INTEGER NOT NULL,
                    lead_id TEXT NOT NULL, change_seq INTEGER NOT NULL, reason TEXT NOT NULL, lead TEXT NOT NULL,
                    status TEXT NOT NULL, attempts INTEGER NOT NULL, http_status INTEGER,
                    last_error TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    next_attempt_at INTEGER
                ) WITHOUT ROWID;
                CREATE INDEX alert_deliveries_due ON alert_deliveries (status, next_attempt_at);
                CREATE INDEX alert_deliveries_by_tenant ON alert_deliveries (tenant_id, created_at);
                """)
        }
        migrator.registerMigration("v13 export refusals") { db in
            // Changes a target refused, per sink checkpoint, and how many runs refused each
            // (enough of them park it: see ExportRefusal.swift).
            try db.execute(sql: """
                CREATE TABLE export_refusals (
                    tenant_id INTEGER NOT NULL REFERENCES tenants(id), sink TEXT NOT NULL, site_id INTEGER NOT NULL,
                    lead_id TEXT NOT NULL, change_seq INTEGER NOT NULL, reason TEXT NOT NULL,
                    runs INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, sink, site_id, change_seq)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }
}
