import FootfallCore
import Foundation
import GRDB

/// How leads, their per-visit contributions, the sites' scoring settings and the change
/// sequence are laid out in the event database.
///
/// - `leads`: one row per (site, organisation): filter and sort columns, its
///   ``StoredTally`` as a ``TallyRecord`` (what later visits fold into) and `document`, the
///   lead as the Lead API serves it (``LeadJSON``), so a list is served without re-encoding
///   and a lead is read back by decoding it. A lead whose visits all moved to other leads
///   (re-derived visits) stays as a tombstone with 0 visits: the change feed announces it
///   once more, lists and lookups skip it.
/// - `lead_counts`: each lead's visitors and pages (``LeadCounts``).
/// - `lead_visits`: the contribution each visit made to its lead, so a re-derived or removed
///   visit can be folded out exactly; its times give first and last seen.
/// - `lead_sites`: each site's tenant and ``LeadSettings``, registered from the catalog.
/// - `lead_sequence`: the last `change_seq` handed out. One sequence for all tenants is
///   strictly increasing per tenant too, and never reuses a number when a lead disappears.
enum LeadRow {
    /// The tables as events v3 created them (later migrations add `document` and
    /// `lead_counts`, and drop `lead`, the lead's own JSON).
    static let schema = """
        CREATE TABLE leads (
            id TEXT PRIMARY KEY, site_id INTEGER NOT NULL, org_key TEXT NOT NULL,
            score INTEGER NOT NULL, visits INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,
            network_type TEXT NOT NULL, country TEXT NOT NULL, domain TEXT NOT NULL,
            target_account INTEGER NOT NULL, industry TEXT NOT NULL, tier TEXT NOT NULL,
            updated_at INTEGER NOT NULL, change_seq INTEGER NOT NULL UNIQUE,
            lead TEXT NOT NULL, tally TEXT NOT NULL
        );
        CREATE INDEX leads_by_site_score ON leads (site_id, score, id);
        CREATE INDEX leads_by_site_last_seen ON leads (site_id, last_seen, id);
        CREATE INDEX leads_by_domain ON leads (domain);
        CREATE TABLE lead_visits (
            visit_id INTEGER PRIMARY KEY, lead_id TEXT NOT NULL,
            started_at INTEGER NOT NULL, ended_at INTEGER NOT NULL, contribution TEXT NOT NULL
        );
        CREATE INDEX lead_visits_by_lead_start ON lead_visits (lead_id, started_at);
        CREATE INDEX lead_visits_by_lead_end ON lead_visits (lead_id, ended_at);
        CREATE TABLE lead_sites (
            site_id INTEGER PRIMARY KEY, tenant_id INTEGER NOT NULL, settings TEXT NOT NULL
        );
        CREATE TABLE lead_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), last INTEGER NOT NULL);
        INSERT INTO lead_sequence (id, last) VALUES (1, 0);
        CREATE TABLE accounts (
            tenant_id INTEGER NOT NULL, domain TEXT NOT NULL, name TEXT NOT NULL, industry TEXT NOT NULL,
            employees INTEGER NOT NULL, owner TEXT NOT NULL, tier TEXT NOT NULL,
            PRIMARY KEY (tenant_id, domain)
        ) WITHOUT ROWID;
        """

    /// Writes a lead in place when it exists: its identity (site, organisation, domain) never
    /// changes, so the primary key and the domain index are left alone.
    static let upsertSQL = """
        INSERT INTO leads (
            id, site_id, org_key, score, visits, first_seen, last_seen, network_type, country, domain,
            target_account, industry, tier, updated_at, change_seq, tally, document
        ) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT (id) DO UPDATE SET
            score = excluded.score, visits = excluded.visits, first_seen = excluded.first_seen,
            last_seen = excluded.last_seen, network_type = excluded.network_type, country = excluded.country,
            target_account = excluded.target_account, industry = excluded.industry, tier = excluded.tier,
            updated_at = excluded.updated_at, change_seq = excluded.change_seq, tally = excluded.tally,
            document = excluded.document
        """

    static func arguments(_ lead: Lead, identity: LeadIdentity, tally: StoredTally) throws -> StatementArguments {
        let values: [(any DatabaseValueConvertible)?] = [
            lead.id, lead.siteID, identity.organisationKey, lead.score, lead.visits, lead.firstSeen, lead.lastSeen,
            lead.networkType.rawValue, lead.country, lead.domain, lead.targetAccount,
            lead.account?.industry ?? "", lead.account?.tier ?? "", lead.updatedAt, lead.changeSeq,
            tallyValue(tally), try document(lead),
        ]
        return StatementArguments(values)
    }

    /// What reads of leads select: never `tally`, which grows with the lead (every visitor
    /// and page) and is needed only to fold visits in and out.
    static let readColumns = "id, site_id, score, last_seen, change_seq, document"

    /// The lead as the Lead API serves it (``LeadJSON``), stored beside it.
    static func document(_ lead: Lead) throws -> String {
        String(decoding: try LeadJSON.encode(lead), as: UTF8.self)
    }

    /// The lead of a row holding at least ``readColumns``: its stored document, decoded.
    static func lead(from row: Row) throws -> Lead {
        try lead(document: row["document"])
    }

    /// The lead of a stored document.
    static func lead(document: String) throws -> Lead {
        try LeadJSON.decoder().decode(Lead.self, from: Data(document.utf8))
    }

    /// The tally of a row holding `tally`: a ``TallyRecord`` blob, or JSON text in rows
    /// written by earlier versions.
    /// - Throws: `SQLITE_CORRUPT` or a decoding error when the value is neither.
    static func storedTally(from row: Row) throws -> StoredTally {
        try recordOrJSON(row["tally"], column: "leads.tally", record: TallyRecord.decode)
    }

    /// The tally as `leads.tally` is written: a ``TallyRecord``.
    static func tallyValue(_ tally: StoredTally) -> Data {
        Data(TallyRecord.encode(tally))
    }

    /// A visit's contribution as `lead_visits.contribution` holds it: a ``ContributionRecord``
    /// blob, or JSON text in rows written before events v9.
    /// - Throws: `SQLITE_CORRUPT` or a decoding error when the value is neither.
    static func contribution(_ value: DatabaseValue) throws -> VisitContribution {
        try recordOrJSON(value, column: "lead_visits.contribution", record: ContributionRecord.decode)
    }

    /// A column value that is a binary record (a blob) or, in rows written by earlier
    /// versions, the same value as JSON text.
    private static func recordOrJSON<T: Decodable>(
        _ value: DatabaseValue, column: String, record: ([UInt8]) throws -> T
    ) throws -> T {
        switch value.storage {
        case .blob(let data): return try record([UInt8](data))
        case .string(let text): return try decoder.decode(T.self, from: Data(text.utf8))
        default: throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "\(column): neither a record nor JSON")
        }
    }

    /// A visit's contribution as `lead_visits.contribution` is written: a ``ContributionRecord``.
    static func contributionValue(_ contribution: VisitContribution) -> Data {
        Data(ContributionRecord.encode(contribution))
    }

    /// The decoder of tallies and contributions written as JSON by earlier versions, made
    /// once. (Foundation's coders are safe to share across threads while their options are
    /// not changed.)
    private static let decoder = JSONDecoder()

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Reserves the next `count` values of `change_seq` in one statement.
    /// - Returns: the first of them; the rest follow it without gaps.
    static func reserveChangeSeqs(_ count: Int, _ db: Database) throws -> Int64 {
        let last = try Int64.fetchOne(
            db.cachedStatement(sql: "UPDATE lead_sequence SET last = last + ? WHERE id = 1 RETURNING last"),
            arguments: [count])!
        return last - Int64(count) + 1
    }
}
