import FootfallCore
import GRDB

/// One site and a range of visit start times, `[from, to)` in milliseconds.
public struct AnalyticsRange: Sendable, Equatable {
    public var siteID: Int64
    public var from: Int64
    public var to: Int64

    public init(siteID: Int64, from: Int64 = 0, to: Int64 = .max) {
        self.siteID = siteID
        self.from = from
        self.to = to
    }
}

/// Query rows plus the segments that had to be skipped because they are corrupt: the
/// numbers exclude those segments, and the caller can say so instead of being silently wrong.
public struct AnalyticsResult<Rows: Sendable>: Sendable {
    public var rows: Rows
    public var skipped: [CorruptSegment]
}

/// Time-series granularity.
public enum TimeBucket: String, Sendable, CaseIterable {
    case hour, day

    var milliseconds: Int64 { self == .hour ? 3_600_000 : 86_400_000 }
}

/// Visits, page views and unique visitors of visits that started in one bucket.
public struct TimeSeriesPoint: Sendable, Equatable {
    public var bucketStart: Int64
    public var visits: Int
    public var pageviews: Int
    public var uniqueVisitors: Int

    public init(bucketStart: Int64, visits: Int, pageviews: Int, uniqueVisitors: Int) {
        self.bucketStart = bucketStart
        self.visits = visits
        self.pageviews = pageviews
        self.uniqueVisitors = uniqueVisitors
    }
}

/// A visit attribute to break visits down by.
public enum VisitDimension: String, Sendable, CaseIterable {
    case entryPage = "entry_page", exitPage = "exit_page", referrer, source, medium, campaign
    case device, browser, os, country
    case networkType = "network_type"
}

/// A value and how often it occurs.
public struct CountedValue: Sendable, Equatable {
    public var value: String
    public var count: Int
}

/// An organisation's activity in a range.
public struct OrganisationActivity: Sendable, Equatable {
    public var organisation: String
    public var domain: String
    public var visits: Int
    public var pageviews: Int
    public var engagedMs: Int64
    public var lastSeen: Int64
}

extension SQLiteEventStore: AnalyticsStore {
    /// Events read window by window from hot rows and segments (``SQLiteEventStream``).
    public func eventStream(siteID: Int64, from: Int64, to: Int64) -> any EventStream {
        SQLiteEventStream(store: self, siteID: siteID, from: from, to: to)
    }

    /// Calls `body` with each batch of visits (hot rows, then segments the zone maps keep)
    /// holding `columns` plus `started_at`, and whether every row of the batch is in range.
    func scan(_ db: Database, _ range: AnalyticsRange, columns: [String], organisation: String? = nil, body: (ColumnBatch, Bool) -> Void) throws -> [CorruptSegment] {
        let hot = try Row.fetchAll(db, sql: """
            SELECT * FROM visits WHERE site_id = ? AND started_at >= ? AND started_at < ?
            """, arguments: [range.siteID, range.from, range.to]).map(VisitRow.visit(from:))
        if !hot.isEmpty { body(ColumnBatch(hot: VisitColumns.segment(siteID: range.siteID, visits: hot)), true) }
        var skipped: [CorruptSegment] = []
        let names = Array(Set(columns + ["started_at"]))
        for segment in try ColumnSegmentStore.segments(db, siteID: range.siteID, kind: .visits, from: range.from, to: range.to) {
            if let organisation, organisation < segment.minOrganisation || organisation > segment.maxOrganisation { continue }
            do {
                let batch = try ColumnSegmentStore.batch(db, segment: segment, columns: names)
                body(batch, segment.minTime >= range.from && segment.maxTime < range.to)
            } catch let corrupt as CorruptSegment {
                skipped.append(corrupt)
            }
        }
        report(skipped)
        return skipped
    }

    /// Visits, page views and unique visitors per hour or day (UTC) of visit start.
    public func timeSeries(_ range: AnalyticsRange, bucket: TimeBucket) async throws -> AnalyticsResult<[TimeSeriesPoint]> {
        try await pool.read { db in
            // Buckets as array slots (rows come mostly in time order, so the slot lookup is
            // cached); visitors as (slot, visitor) pairs counted distinct by one sort, which
            // beats a hash set per bucket.
            let width = bucket.milliseconds
            var keys: [Int64] = [], visits: [Int] = [], pageviews: [Int] = [], pairs: [(Int, Int64)] = []
            var slots: [Int64: Int] = [:]
            var lastKey = Int64.min, slot = 0
            let skipped = try self.scan(db, range, columns: ["pageviews", "visitor_id"]) { batch, covered in
                let started = batch.integers("started_at"), views = batch.integers("pageviews"), who = batch.integers("visitor_id")
                for row in 0..<batch.rowCount where covered || (started[row] >= range.from && started[row] < range.to) {
                    let key = started[row] - ((started[row] % width) + width) % width
                    if key != lastKey {
                        if let known = slots[key] {
                            slot = known
                        } else {
                            slot = keys.count
                            slots[key] = slot
                            keys.append(key)
                            visits.append(0)
                            pageviews.append(0)
                        }
                        lastKey = key
                    }
                    visits[slot] += 1
                    pageviews[slot] += Int(views[row])
                    pairs.append((slot, who[row]))
                }
            }
            pairs.sort { ($0.0, $0.1) < ($1.0, $1.1) }
            var uniques = [Int](repeating: 0, count: keys.count)
            for (index, pair) in pairs.enumerated() where index == 0 || pairs[index - 1] != pair { uniques[pair.0] += 1 }
            let points = keys.indices.sorted { keys[$0] < keys[$1] }.map { slot in
                TimeSeriesPoint(bucketStart: keys[slot], visits: visits[slot], pageviews: pageviews[slot], uniqueVisitors: uniques[slot])
            }
            return AnalyticsResult(rows: points, skipped: skipped)
        }
    }

    /// Most viewed pages (page views of visits that started in the range).
    public func topPages(_ range: AnalyticsRange, limit: Int = 10) async throws -> AnalyticsResult<[CountedValue]> {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            let skipped = try self.scan(db, range, columns: ["pageviews", "page.path"]) { batch, covered in
                let paths = batch.strings("page.path")
                var perCode = [Int](repeating: 0, count: paths.dictionary.count)
                if covered {
                    for code in paths.codes { perCode[Int(code)] += 1 }
                } else {
                    let started = batch.integers("started_at"), views = batch.integers("pageviews")
                    var page = 0
                    for row in 0..<batch.rowCount {
                        let next = page + Int(views[row])
                        if started[row] >= range.from && started[row] < range.to {
                            for index in page..<next { perCode[Int(paths.codes[index])] += 1 }
                        }
                        page = next
                    }
                }
                for (code, count) in perCode.enumerated() where count > 0 { counts[paths.dictionary[code], default: 0] += count }
            }
            return AnalyticsResult(rows: Self.top(counts, limit: limit), skipped: skipped)
        }
    }

    /// Visits per value of one attribute (entry/exit page, source, medium, campaign,
    /// device, browser, OS, country, …), most frequent first.
    public func breakdown(_ range: AnalyticsRange, by dimension: VisitDimension, limit: Int = 10) async throws -> AnalyticsResult<[CountedValue]> {
        try await pool.read { db in
            var counts: [String: Int] = [:]
            let skipped = try self.scan(db, range, columns: [dimension.rawValue]) { batch, covered in
                let values = batch.strings(dimension.rawValue), started = batch.integers("started_at")
                var perCode = [Int](repeating: 0, count: values.dictionary.count)
                for row in 0..<batch.rowCount where covered || (started[row] >= range.from && started[row] < range.to) {
                    perCode[Int(values.codes[row])] += 1
                }
                for (code, count) in perCode.enumerated() where count > 0 { counts[values.dictionary[code], default: 0] += count }
            }
            return AnalyticsResult(rows: Self.top(counts, limit: limit), skipped: skipped)
        }
    }

    /// Organisations with their visits, page views and engaged time, most visits first.
    public func organisations(_ range: AnalyticsRange, limit: Int = 50) async throws -> AnalyticsResult<[OrganisationActivity]> {
        try await pool.read { db in
            var byName: [String: OrganisationActivity] = [:]
            let columns = ["organisation", "org_domain", "pageviews", "engaged_ms"]
            let skipped = try self.scan(db, range, columns: columns) { batch, covered in
                let names = batch.strings("organisation"), domains = batch.strings("org_domain")
                let started = batch.integers("started_at"), views = batch.integers("pageviews"), engaged = batch.integers("engaged_ms")
                // Sums per dictionary code in arrays; strings are touched once per code.
                let codes = names.dictionary.count
                var visits = [Int](repeating: 0, count: codes), pageviews = [Int](repeating: 0, count: codes)
                var engagedMs = [Int64](repeating: 0, count: codes), lastSeen = [Int64](repeating: .min, count: codes)
                var domainRow = [Int](repeating: -1, count: codes)
                for row in 0..<batch.rowCount where covered || (started[row] >= range.from && started[row] < range.to) {
                    let code = Int(names.codes[row])
                    visits[code] += 1
                    pageviews[code] += Int(views[row])
                    engagedMs[code] += engaged[row]
                    lastSeen[code] = max(lastSeen[code], started[row])
                    if domainRow[code] < 0 { domainRow[code] = row }
                }
                for code in 0..<codes where visits[code] > 0 && !names.dictionary[code].isEmpty {
                    let name = names.dictionary[code]
                    var known = byName[name] ?? OrganisationActivity(
                        organisation: name, domain: domains[domainRow[code]], visits: 0, pageviews: 0, engagedMs: 0, lastSeen: .min)
                    known.visits += visits[code]
                    known.pageviews += pageviews[code]
                    known.engagedMs += engagedMs[code]
                    known.lastSeen = max(known.lastSeen, lastSeen[code])
                    byName[name] = known
                }
            }
            let rows = byName.values.sorted { ($1.visits, $0.organisation) < ($0.visits, $1.organisation) }
            return AnalyticsResult(rows: Array(rows.prefix(limit)), skipped: skipped)
        }
    }

    /// One organisation's visits with their page paths, oldest first.
    public func organisationVisits(_ range: AnalyticsRange, organisation: String, limit: Int = 100) async throws -> AnalyticsResult<[Visit]> {
        try await pool.read { db in
            var visits: [Visit] = []
            let skipped = try self.scan(db, range, columns: VisitColumns.allNames, organisation: organisation) { batch, covered in
                let names = batch.strings("organisation")
                guard let code = names.dictionary.firstIndex(of: organisation) else { return }
                let started = batch.integers("started_at"), views = batch.integers("pageviews")
                var page = 0
                for row in 0..<batch.rowCount {
                    let count = Int(views[row])
                    defer { page += count }
                    guard names.codes[row] == code, covered || (started[row] >= range.from && started[row] < range.to) else { continue }
                    let paths = batch.strings("page.path"), offsets = batch.integers("page.offset_ms")
                    let engaged = batch.integers("page.engaged_ms"), scroll = batch.integers("page.max_scroll")
                    let loads = batch.strings("page.load_id")
                    let pages = (page..<page + count).map {
                        VisitPage(path: paths[$0], viewedAt: started[row] + offsets[$0], pageLoadID: loads[$0],
                                  engagedMs: engaged[$0], maxScrollPercent: Int(scroll[$0]))
                    }
                    visits.append(VisitColumns.visit(siteID: range.siteID, batch: batch, row: row, pages: pages))
                }
            }
            visits.sort { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }
            return AnalyticsResult(rows: Array(visits.prefix(limit)), skipped: skipped)
        }
    }

    /// Every visit of the range in start order (raw export). Memory stays bounded by the
    /// hot visits plus about one segment: segments are merged in by their zone maps.
    ///
    /// The hot rows and the segment list come from one snapshot; a compaction running
    /// meanwhile writes new segments this export does not read, so no visit is seen twice.
    public func exportVisits(_ range: AnalyticsRange, each: (Visit) throws -> Void) async throws -> [CorruptSegment] {
        let (segments, hot) = try await pool.read { db in
            let segments = try ColumnSegmentStore.segments(db, siteID: range.siteID, kind: .visits, from: range.from, to: range.to)
            let hot = try Row.fetchAll(db, sql: """
                SELECT * FROM visits WHERE site_id = ? AND started_at >= ? AND started_at < ? ORDER BY started_at, id
                """, arguments: [range.siteID, range.from, range.to]).map(VisitRow.visit(from:))
            return (segments, hot)
        }
        var pending = hot
        var skipped: [CorruptSegment] = []
        let ordered = { (lhs: Visit, rhs: Visit) in (lhs.startedAt, lhs.id) < (rhs.startedAt, rhs.id) }
        for segment in segments {
            // Everything starting before this segment's first visit is complete: emit it.
            let ready = pending.prefix { $0.startedAt < segment.minTime }
            for visit in ready { try each(visit) }
            pending.removeFirst(ready.count)
            let decoded = try await pool.read { db -> Result<[Visit], CorruptSegment>? in
                // Gone since the snapshot (retention, rebuild): nothing of it to export.
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM segments WHERE id = ?", arguments: [segment.id]) != nil else { return nil }
                do {
                    let batch = try ColumnSegmentStore.batch(db, segment: segment, columns: VisitColumns.allNames)
                    return .success(VisitColumns.visits(siteID: range.siteID, batch: batch))
                } catch let corrupt as CorruptSegment {
                    return .failure(corrupt)
                }
            }
            switch decoded {
            case .success(let visits):
                pending += visits.filter { $0.startedAt >= range.from && $0.startedAt < range.to }
                pending.sort(by: ordered)
            case .failure(let corrupt):
                skipped.append(corrupt)
            case nil:
                break
            }
        }
        for visit in pending { try each(visit) }
        report(skipped)
        return skipped
    }

    static func top(_ counts: [String: Int], limit: Int) -> [CountedValue] {
        Array(counts.map { CountedValue(value: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.value) < ($0.count, $1.value) }.prefix(limit))
    }
}
