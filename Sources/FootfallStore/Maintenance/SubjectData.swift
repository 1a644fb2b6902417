import FootfallCore
import Foundation
import GRDB

/// Every stored event and visit of one ``DataSubject``: the portability document of
/// `footfall export-subject` (GDPR arts. 15 and 20).
///
/// JSON fields: `site` (key), `subject` (the selector, as audited), `receipt` (the audit
/// receipt id), `generatedAt` (ms since the epoch), `events` and `visits` in time order, each
/// with the fields of ``Event`` and ``Visit`` (times in ms since the epoch, URLs as stored,
/// i.e. already scrubbed of personal data).
public struct SubjectData: Sendable, Codable, Equatable {
    public var site: String
    public var subject: String
    public var receipt: String
    public var generatedAt: Int64
    public var events: [Event]
    public var visits: [Visit]
}

/// What an erasure removed (GDPR art. 17).
public struct ErasureResult: Sendable, Equatable {
    /// Audit receipt id of the request.
    public var receipt: String
    public var events = 0
    public var visits = 0
    /// Columnar segments rewritten without the subject's rows (or dropped when emptied).
    public var segmentsRewritten = 0
    /// Leads left with no visit (an erased organisation's): tombstones on the change feed.
    public var emptiedLeadIDs: [String] = []
}

extension SQLiteEventStore {
    /// The subject's events and visits, hot and columnar, each sorted by time.
    public func subjectData(_ subject: DataSubject) async throws -> (events: [Event], visits: [Visit]) {
        try await pool.read { db in
            let visitors = try self.subjectVisitors(db, subject)
            var events = try Row.fetchAll(db, sql: "SELECT * FROM events WHERE site_id = ?", arguments: [subject.siteID])
                .filter { visitors.contains($0["visitor_id"]) }.map(EventRow.event(from:))
            for segment in try ColumnSegmentStore.segments(db, siteID: subject.siteID, kind: .events) {
                let columns = try ColumnSegmentStore.allColumns(db, segment: segment)
                let selected = Self.subjectRows(columns, visitors)
                guard !selected.isEmpty else { continue }
                let rows = EventColumns.rows(columns, count: segment.rowCount)
                events += selected.map { EventRow.event(from: rows[$0]) }
            }
            var visits = try Row.fetchAll(db, sql: "SELECT * FROM visits WHERE site_id = ?", arguments: [subject.siteID])
                .map(VisitRow.visit(from:)).filter { visitors.contains($0.visitorID) }
            for segment in try ColumnSegmentStore.segments(db, siteID: subject.siteID, kind: .visits) {
                let batch = try ColumnSegmentStore.batch(db, segment: segment, columns: VisitColumns.allNames)
                visits += VisitColumns.visits(siteID: subject.siteID, batch: batch).filter { visitors.contains($0.visitorID) }
            }
            events.sort { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }
            visits.sort { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
            return (events, visits)
        }
    }

    /// Deletes the subject's hot events and visits and rewrites the columnar segments
    /// holding any of their rows without them, and folds the erased visits out of their
    /// leads (visitor ids, pages, counts and the per-visit contributions go), in one
    /// transaction; then rebuilds the live sessionizer so no open visit of the subject is
    /// written back. Exports read leads through the change feed, so no pending export holds
    /// the erased data afterwards.
    public func erase(_ subject: DataSubject, receipt: String) async throws -> ErasureResult {
        try await maintenance.run {
            let now = clock()
            let result = try await writeSettled { db in
                var result = ErasureResult(receipt: receipt)
                let visitors = try self.subjectVisitors(db, subject)
                var erasedVisits = Set<Int64>()
                let deleteEvent = try db.cachedStatement(sql: "DELETE FROM events WHERE rowid = ?")
                for row in try Row.fetchAll(db, sql: "SELECT rowid, visitor_id FROM events WHERE site_id = ?", arguments: [subject.siteID])
                where visitors.contains(row[1]) {
                    try deleteEvent.execute(arguments: [row[0] as Int64])
                    result.events += 1
                }
                let deleteVisit = try db.cachedStatement(sql: "DELETE FROM visits WHERE id = ?")
                for row in try Row.fetchAll(db, sql: "SELECT id, visitor_id FROM visits WHERE site_id = ?", arguments: [subject.siteID])
                where visitors.contains(row["visitor_id"]) {
                    try deleteVisit.execute(arguments: [row["id"] as Int64])
                    erasedVisits.insert(row["id"])
                    result.visits += 1
                }
                for segment in try ColumnSegmentStore.segments(db, siteID: subject.siteID, kind: .events) {
                    let columns = try ColumnSegmentStore.allColumns(db, segment: segment)
                    let selected = Set(Self.subjectRows(columns, visitors))
                    guard !selected.isEmpty else { continue }
                    try db.execute(sql: "DELETE FROM segments WHERE id = ?", arguments: [segment.id])
                    let kept = (0..<segment.rowCount).filter { !selected.contains($0) }
                    if !kept.isEmpty {
                        try ColumnSegmentStore.write(EventColumns.segment(siteID: subject.siteID, columns: columns, keeping: kept), db, now: now)
                    }
                    result.events += selected.count
                    result.segmentsRewritten += 1
                }
                for segment in try ColumnSegmentStore.segments(db, siteID: subject.siteID, kind: .visits) {
                    let batch = try ColumnSegmentStore.batch(db, segment: segment, columns: VisitColumns.allNames)
                    let visits = VisitColumns.visits(siteID: subject.siteID, batch: batch)
                    let kept = visits.filter { !visitors.contains($0.visitorID) }
                    guard kept.count < visits.count else { continue }
                    erasedVisits.formUnion(visits.lazy.filter { visitors.contains($0.visitorID) }.map(\.id))
                    try db.execute(sql: "DELETE FROM segments WHERE id = ?", arguments: [segment.id])
                    if !kept.isEmpty { try ColumnSegmentStore.write(VisitColumns.segment(siteID: subject.siteID, visits: kept), db, now: now) }
                    result.visits += visits.count - kept.count
                    result.segmentsRewritten += 1
                }
                result.emptiedLeadIDs = try LeadMaintenance.apply(upserted: [], removed: erasedVisits, db, now: now)
                return result
            }
            try await resetSessionizer()
            return result
        }
    }

    /// Visitor ids of every event and visit the selector matches directly.
    func subjectVisitors(_ db: Database, _ subject: DataSubject) throws -> Set<VisitorID> {
        var visitors: Set<VisitorID> = []
        if case .visitor(let id) = subject.selector { visitors.insert(id) }
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT visitor_id, org_domain, stored_ip FROM events WHERE site_id = ?", arguments: [subject.siteID])
        while let row = try cursor.next() {
            if subject.selects(visitorID: row[0], orgDomain: row[1], storedIP: row[2]) { visitors.insert(row[0]) }
        }
        for row in try Row.fetchAll(db, sql: "SELECT visitor_id, org_domain FROM visits WHERE site_id = ?", arguments: [subject.siteID])
        where subject.selects(visitorID: row[0], orgDomain: row[1], storedIP: nil) {
            visitors.insert(row[0])
        }
        for segment in try ColumnSegmentStore.segments(db, siteID: subject.siteID, kind: .events) {
            let batch = try ColumnSegmentStore.batch(db, segment: segment, columns: ["visitor_id", "org_domain", "stored_ip"])
            let ids = batch.integers("visitor_id"), domains = batch.strings("org_domain"), ips = batch.strings("stored_ip")
            for row in 0..<batch.rowCount where subject.selects(visitorID: ids[row], orgDomain: domains[row], storedIP: ips[row]) {
                visitors.insert(ids[row])
            }
        }
        for segment in try ColumnSegmentStore.segments(db, siteID: subject.siteID, kind: .visits) {
            let batch = try ColumnSegmentStore.batch(db, segment: segment, columns: ["visitor_id", "org_domain"])
            let ids = batch.integers("visitor_id"), domains = batch.strings("org_domain")
            for row in 0..<batch.rowCount where subject.selects(visitorID: ids[row], orgDomain: domains[row], storedIP: nil) {
                visitors.insert(ids[row])
            }
        }
        return visitors
    }

    /// Indexes of the rows of a decoded event segment that belong to `visitors`.
    static func subjectRows(_ columns: [String: ColumnValues], _ visitors: Set<VisitorID>) -> [Int] {
        guard case .integers(let ids) = columns["visitor_id"] else { return [] }
        return ids.indices.filter { visitors.contains(ids[$0]) }
    }
}
