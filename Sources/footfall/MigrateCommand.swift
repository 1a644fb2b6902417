import ArgumentParser
import FootfallCore
import FootfallStore
import Foundation

/// `footfall migrate --to clickhouse://…`: copies an embedded installation's events, visits,
/// leads and target accounts into a ClickHouse store, resumably, and verifies it by counts.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy the embedded store's events, visits, leads and accounts into ClickHouse, then verify the counts.",
        discussion: """
            Stop the server first. The copy is resumable: progress is kept in \
            DATA/migrate-clickhouse.json, and running the command again continues where it \
            stopped (an event already copied is never stored twice). Afterwards start the \
            server with --store set to the same address.
            """)

    @Option(name: .long, help: ArgumentHelp("The ClickHouse store to fill: clickhouse://[user[:password]@]host[:port]/database.", valueName: "store"))
    var to: String

    @Option(name: .long, help: "Data directory of the embedded installation (default: $FOOTFALL_DATA or ./footfall-data).")
    var data: String = ProcessInfo.processInfo.environment["FOOTFALL_DATA"] ?? "./footfall-data"

    /// Events or visits per ClickHouse insert.
    static let batch = 5_000

    func validate() throws {
        guard case .clickHouse = try? StoreLocation(parsing: to) else {
            throw ValidationError("--to must be clickhouse://host:8123/database, got \(to.hasPrefix("clickhouse://") ? "a malformed address" : to)")
        }
    }

    func run() async throws {
        guard case .clickHouse(let location) = try StoreLocation(parsing: to) else { return }
        let directory = DataDirectory(data)
        guard FileManager.default.fileExists(atPath: directory.eventsPath), FileManager.default.fileExists(atPath: directory.catalogPath) else {
            throw ValidationError("no embedded Footfall store in \(data) (no events.sqlite): check --data or $FOOTFALL_DATA")
        }
        let lock: FileLock
        do {
            lock = try directory.lockWriter(holder: "footfall migrate")
        } catch let busy as DataDirectoryBusy {
            throw ValidationError("\(busy.description); stop the server before migrating its data")
        }
        defer { withExtendedLifetime(lock) {} }

        let catalog = try Catalog(path: directory.catalogPath)
        let sites = try await catalog.sites()
        let embedded = try SQLiteEventStore(path: directory.eventsPath)
        let target = try await ClickHouseEventStore.open(location, leadsPath: directory.leadsPath)
        let progressPath = directory.path + "/migrate-clickhouse.json"
        var progress = try MigrationProgress.load(progressPath, store: location.redacted)
        print("migrating \(sites.count) site(s) from \(directory.eventsPath) to \(location.redacted)")

        for site in sites {
            var state = progress.sites[String(site.id)] ?? .init()
            var stream = embedded.eventStream(siteID: site.id, from: state.eventsAfter?.time ?? .min, to: .max)
            var pending: [Event] = []
            func flush() async throws {
                guard let last = pending.last else { return }
                state.eventsCopied += try await target.importEvents(pending)
                state.eventsAfter = .init(time: last.timestamp, id: last.id)
                progress.sites[String(site.id)] = state
                try progress.save(progressPath)
                pending = []
            }
            while let batch = try await stream.nextBatch() {
                let after = state.eventsAfter
                pending += batch.filter { after == nil || ($0.timestamp, $0.id) > (after!.time, after!.id) }
                if pending.count >= Self.batch { try await flush() }
            }
            try await flush()

            var query = VisitQuery(siteID: site.id, limit: Self.batch,
                                   after: state.visitsAfter.map { VisitCursor(startedAt: $0.time, visitID: Int64($0.id) ?? .min) })
            while true {
                let visits = try await embedded.visits(query)
                guard let last = visits.last else { break }
                try await target.importVisits(visits)
                state.visitsCopied += visits.count
                state.visitsAfter = .init(time: last.startedAt, id: String(last.id))
                progress.sites[String(site.id)] = state
                try progress.save(progressPath)
                query.after = VisitCursor(startedAt: last.startedAt, visitID: last.id)
            }
            print("  \(site.key): \(state.eventsCopied) events, \(state.visitsCopied) visits copied")
        }

        try await target.registerLeadSites(sites)
        let tenants = Set(sites.map(\.tenantID))
        for tenant in tenants.sorted() {
            let accounts = try await embedded.accounts(tenantID: tenant)
            if !accounts.isEmpty { try await target.replaceAccounts(tenantID: tenant, with: accounts) }
        }
        try await target.rebuildLeads(siteIDs: sites.map(\.id))

        var mismatches = 0
        print("verifying (embedded → ClickHouse):")
        for site in sites {
            let source = try await Self.counts(embedded, site: site.id)
            let copied = try await target.counts(siteID: site.id)
            let leads = (try await Self.leadCount(embedded, site: site.id), try await Self.leadCount(target, site: site.id))
            let same = source.events == copied.events && source.visits == copied.visits && leads.0 == leads.1
            if !same { mismatches += 1 }
            print("  \(site.key): events \(source.events) → \(copied.events), visits \(source.visits) → \(copied.visits), leads \(leads.0) → \(leads.1)\(same ? "" : "  MISMATCH")")
        }
        guard mismatches == 0 else {
            throw ValidationError("\(mismatches) site(s) differ after migrating; run the command again to resume, and report it if they still differ")
        }
        print("done: start the server with --store \(location.redacted)\(location.password == nil ? "" : " (with its password)")")
    }

    /// Events and visits of a site in the embedded store, counted by reading them.
    static func counts(_ store: SQLiteEventStore, site: Int64) async throws -> (events: Int, visits: Int) {
        var events = 0
        var stream = store.eventStream(siteID: site, from: .min, to: .max)
        while let batch = try await stream.nextBatch() { events += batch.count }
        var visits = 0
        var query = VisitQuery(siteID: site, limit: batch)
        while true {
            let page = try await store.visits(query)
            visits += page.count
            guard page.count == query.limit, let last = page.last else { return (events, visits) }
            query.after = VisitCursor(startedAt: last.startedAt, visitID: last.id)
        }
    }

    /// Leads with visits of a site.
    static func leadCount(_ store: any LeadReader, site: Int64) async throws -> Int {
        var count = 0
        var query = LeadQuery(siteIDs: [site])
        query.limit = 1000
        while true {
            let page = try await store.leadDocuments(query)
            count += page.documents.count
            guard let next = page.nextCursor else { return count }
            query.after = next
        }
    }
}

/// What `footfall migrate` copied so far, per site: kept in `DATA/migrate-clickhouse.json`
/// after every batch, so a run that stopped resumes after the last batch copied.
struct MigrationProgress: Codable {
    /// A position in (time, id) order: an event's time and id, or a visit's start and id.
    struct Position: Codable, Equatable {
        var time: Int64
        var id: String
    }

    struct SiteState: Codable {
        var eventsAfter: Position?
        var visitsAfter: Position?
        var eventsCopied = 0
        var visitsCopied = 0
    }

    /// The target (without password): progress toward another store is not resumed.
    var store: String
    var sites: [String: SiteState] = [:]

    /// The progress toward `store` kept at `path`, or a fresh one.
    static func load(_ path: String, store: String) throws -> MigrationProgress {
        guard let data = FileManager.default.contents(atPath: path),
              let progress = try? JSONDecoder().decode(MigrationProgress.self, from: data), progress.store == store
        else { return MigrationProgress(store: store) }
        return progress
    }

    func save(_ path: String) throws {
        try JSONEncoder().encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
