import FootfallCore
import Foundation
import GRDB

/// A tenant's configured export target (`footfall sink add`).
///
/// `settings` are the kind's options (`api_base`, `url`, `output`, `token_env`,
/// `token_file`, …). Secrets never appear here: only the name of the environment variable
/// or the path of the 0600 file that holds them, read when an export runs.
public struct ExportSink: Sendable, Equatable {
    public var tenantID: Int64
    /// Unique per tenant, 1–64 of `a-z 0-9 _ -`.
    public var name: String
    /// `hubspot`, `salesforce`, `pipedrive`, `webhook`, `csv` or `ndjson`.
    public var kind: String
    public var settings: [String: String]

    public init(tenantID: Int64, name: String, kind: String, settings: [String: String] = [:]) {
        self.tenantID = tenantID
        self.name = name
        self.kind = kind
        self.settings = settings
    }

    static func isValidName(_ name: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_-")
        return (1...64).contains(name.count) && name.allSatisfy(allowed.contains)
    }
}

extension Catalog {
    /// Adds or replaces the sink `sink.name` of its tenant.
    /// - Throws: ``CatalogError/invalidSinkName(_:)`` for a name outside `[a-z0-9_-]{1,64}`.
    public func saveExportSink(_ sink: ExportSink) async throws {
        guard ExportSink.isValidName(sink.name) else { throw CatalogError.invalidSinkName(sink.name) }
        let settings = String(decoding: try JSONEncoder().encode(sink.settings), as: UTF8.self)
        try await pool.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO export_sinks (tenant_id, name, kind, settings, created_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [sink.tenantID, sink.name, sink.kind, settings, Timestamp.nowMs()])
        }
    }

    /// The tenant's sinks, by name.
    public func exportSinks(tenantID: Int64) async throws -> [ExportSink] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM export_sinks WHERE tenant_id = ? ORDER BY name", arguments: [tenantID])
                .map(Self.exportSink(from:))
        }
    }

    /// The tenant's sink called `name`, if any.
    public func exportSink(tenantID: Int64, name: String) async throws -> ExportSink? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM export_sinks WHERE tenant_id = ? AND name = ?", arguments: [tenantID, name]
            ).map(Self.exportSink(from:))
        }
    }

    /// Removes the sink `name` and its checkpoints (also its per-site ones, `name@SITE`).
    /// - Throws: ``CatalogError/unknownSink(_:)`` when the tenant has no such sink.
    public func removeExportSink(tenantID: Int64, name: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "DELETE FROM export_sinks WHERE tenant_id = ? AND name = ?", arguments: [tenantID, name])
            if db.changesCount == 0 { throw CatalogError.unknownSink(name) }
            for table in ["export_checkpoints", "export_refusals"] {
                try db.execute(
                    sql: "DELETE FROM \(table) WHERE tenant_id = ? AND (sink = ? OR substr(sink, 1, ?) = ?)",
                    arguments: [tenantID, name, name.count + 1, name + "@"])
            }
        }
    }

    static func exportSink(from row: Row) -> ExportSink {
        let settings: String = row["settings"]
        return ExportSink(
            tenantID: row["tenant_id"], name: row["name"], kind: row["kind"],
            // Written only by saveExportSink from a [String: String].
            settings: (try? JSONDecoder().decode([String: String].self, from: Data(settings.utf8))) ?? [:])
    }
}
