import FootfallCore

/// Retention, data-subject requests and visit rebuilds on ClickHouse. Deletions are
/// `ALTER TABLE … DELETE` mutations, which rewrite the parts holding the rows, and a call
/// returns only once ClickHouse reports them done, so erased rows are really gone from the
/// live parts (ClickHouse removes the replaced part files after `old_parts_lifetime`, 8
/// minutes by default). Each runs with this node's appends held off
/// (``ClickHouseEventStore/appends``), and folds the visits it removes out of their leads.
extension ClickHouseEventStore: StoreMaintenance {
    /// ClickHouse stores columns already and merges parts in the background: nothing to move.
    /// - Returns: an empty result (no segments, visits or events moved).
    public func compact(now: Int64, minimumRows: Int) async throws -> CompactionResult {
        CompactionResult()
    }

    public func dropData(olderThan cutoff: Int64, siteID: Int64?) async throws -> RetentionResult {
        try await appends.run {
            recent.withLock { $0.removeAll() }
            let site = siteID.map { " AND site_id = \($0)" } ?? ""
            var result = RetentionResult()
            let expired = try await ids("visits FINAL WHERE deleted = 0 AND ended_at < \(cutoff)\(site)")
            result.hotVisits = expired.count
            result.hotEvents = try await count("events FINAL WHERE ts < \(cutoff)\(site)")
            // Every version of a visit has ended no later than its latest, so this removes
            // whole visits whose latest version expired, and only older versions of others.
            try await mutate("visits", where: "ended_at < \(cutoff)\(site)")
            try await mutate("events", where: "ts < \(cutoff)\(site)")
            _ = try await foldOut(expired)
            return result
        }
    }

    /// Merges every part so replaced visit versions and duplicate events are dropped from disk.
    public func vacuum() async throws {
        try await client.execute("OPTIMIZE TABLE events FINAL")
        try await client.execute("OPTIMIZE TABLE visits FINAL")
    }

    public func subjectData(_ subject: DataSubject) async throws -> (events: [Event], visits: [Visit]) {
        let visitors = try await subjectVisitors(subject)
        return (try await subjectEvents(subject.siteID, visitors), try await subjectVisits(subject.siteID, visitors))
    }

    public func erase(_ subject: DataSubject, receipt: String) async throws -> ErasureResult {
        try await appends.run {
            recent.withLock { $0.removeAll() }
            let visitors = try await subjectVisitors(subject)
            var result = ErasureResult(receipt: receipt)
            guard !visitors.isEmpty else { return result }
            let selected = "site_id = \(subject.siteID) AND visitor_id IN \(ClickHouseSQL.integers(visitors.sorted()))"
            result.events = try await count("events FINAL WHERE \(selected)")
            let erased = try await ids("visits FINAL WHERE deleted = 0 AND \(selected)")
            result.visits = erased.count
            try await mutate("events", where: selected)
            try await mutate("visits", where: selected)
            result.emptiedLeadIDs = try await foldOut(erased)
            return result
        }
    }

    public func rebuildVisits(siteID: Int64, from: Int64, to: Int64) async throws -> RebuildResult {
        try await appends.run {
            recent.withLock { $0.removeAll() }
            let current = try await visitsStarting(siteID: siteID, from: from, to: to)
            // Read events from the start of any visit running into `from` to past the end of
            // the last visit starting before `to`, so no visit is cut short.
            let reach = max(configuration.inactivityMs, configuration.pagehideWindowMs) + configuration.latenessMs
            let day: Int64 = 86_400_000
            let before = from == .min ? [] : try await visitsStarting(siteID: siteID, from: from - day, to: from)
            var lower = from == .min ? from : from - reach
            var upper = to == .max ? to : to + reach
            for visit in before where visit.endedAt >= from - reach { lower = min(lower, visit.startedAt) }
            if upper != .max { for visit in current { upper = max(upper, visit.endedAt + reach) } }
            var stream = eventStream(siteID: siteID, from: lower, to: upper)
            var events: [Event] = []
            while let batch = try await stream.nextBatch() { events += batch }
            let derived = Sessionizer.visits(from: events, configuration: configuration).filter { $0.startedAt >= from && $0.startedAt < to }
            let kept = Set(derived.map(\.id))
            try await writeVisits(derived, removing: current.filter { !kept.contains($0.id) })
            return RebuildResult(events: events.count, visitsBefore: current.count, visitsAfter: derived.count)
        }
    }

    /// Bytes ClickHouse keeps on disk for this store's tables (active parts, compressed),
    /// the counterpart of the embedded store's ``SQLiteEventStore/fileBytes()``.
    /// - Throws: ``ClickHouseError``.
    public func bytesOnDisk() async throws -> Int64 {
        Int64(try await client.lines("""
            SELECT sum(bytes_on_disk) FROM system.parts WHERE database = \(ClickHouseSQL.string(client.location.database)) AND active
            """).first ?? "0") ?? 0
    }

    /// ClickHouse checks its own parts' checksums as it reads them; there are no Footfall
    /// segments to verify.
    /// - Returns: zero segments, no problems.
    public func checkSegments() async throws -> SegmentCheckResult {
        SegmentCheckResult(segments: 0, problems: [])
    }

    /// The current visits of a site that started in `[from, to)`.
    private func visitsStarting(siteID: Int64, from: Int64, to: Int64) async throws -> [Visit] {
        try ClickHouseRows.decode(Visit.self, try await client.lines("""
            SELECT doc FROM visits FINAL WHERE site_id = \(siteID) AND started_at >= \(from) AND started_at < \(to) AND deleted = 0
            """))
    }

    /// Visitor ids of every event and visit the selector matches directly.
    private func subjectVisitors(_ subject: DataSubject) async throws -> Set<VisitorID> {
        let site = "site_id = \(subject.siteID)"
        switch subject.selector {
        case .visitor(let id):
            return [id]
        case .organisation(let domain):
            guard !domain.isEmpty else { return [] }
            let matching = "\(site) AND org_domain = \(ClickHouseSQL.string(domain))"
            let ids = try await client.lines("""
                SELECT DISTINCT visitor_id FROM (SELECT visitor_id FROM events WHERE \(matching)
                UNION ALL SELECT visitor_id FROM visits WHERE \(matching))
                """)
            return Set(ids.compactMap { VisitorID($0) })
        case .storedIP:
            let rows = try await client.lines("SELECT DISTINCT concat(toString(visitor_id), ' ', stored_ip) FROM events WHERE \(site) AND stored_ip != ''")
            var visitors: Set<VisitorID> = []
            for row in rows {
                guard let space = row.firstIndex(of: " "), let visitor = VisitorID(row[..<space]) else { continue }
                if subject.selects(visitorID: visitor, orgDomain: "", storedIP: String(row[row.index(after: space)...])) { visitors.insert(visitor) }
            }
            return visitors
        }
    }

    private func subjectEvents(_ siteID: Int64, _ visitors: Set<VisitorID>) async throws -> [Event] {
        guard !visitors.isEmpty else { return [] }
        return try ClickHouseRows.decode(Event.self, try await client.lines("""
            SELECT doc FROM events FINAL WHERE site_id = \(siteID) AND visitor_id IN \(ClickHouseSQL.integers(visitors.sorted()))
            ORDER BY ts, event_id
            """))
    }

    private func subjectVisits(_ siteID: Int64, _ visitors: Set<VisitorID>) async throws -> [Visit] {
        guard !visitors.isEmpty else { return [] }
        return try ClickHouseRows.decode(Visit.self, try await client.lines("""
            SELECT doc FROM visits FINAL WHERE site_id = \(siteID) AND deleted = 0 AND visitor_id IN \(ClickHouseSQL.integers(visitors.sorted()))
            ORDER BY started_at, id
            """))
    }

    /// The visit ids of `FROM <source>`.
    private func ids(_ source: String) async throws -> Set<Int64> {
        Set(try await client.lines("SELECT id FROM \(source)").compactMap { Int64($0) })
    }

    /// `count()` of `FROM <source>`.
    func count(_ source: String) async throws -> Int {
        Int(try await client.lines("SELECT count() FROM \(source)").first ?? "0") ?? 0
    }

    /// Deletes the rows of `table` matching `condition` and waits until ClickHouse has
    /// rewritten every part concerned.
    /// - Throws: ``ClickHouseError/server(status:message:)`` when the mutation is not done
    ///   after 5 minutes.
    private func mutate(_ table: String, where condition: String) async throws {
        try await client.execute("ALTER TABLE \(table) DELETE WHERE \(condition)")
        let pending = """
            SELECT count() FROM system.mutations
            WHERE database = \(ClickHouseSQL.string(client.location.database)) AND table = \(ClickHouseSQL.string(table)) AND is_done = 0
            """
        let deadline = ContinuousClock.now + .seconds(300)
        while try await client.lines(pending).first != "0" {
            guard ContinuousClock.now < deadline else {
                throw ClickHouseError.server(status: 504, message: "deleting from \(table) did not finish within 5 minutes")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
