import FootfallCore
import FootfallEnrich
import FootfallStore

/// The ingest steps, transport-independent: both front ends (the NIO beacon handler and
/// tests) hand a parsed batch and its ``BeaconRequest`` to ``process(_:request:)``.
///
/// Like Plausible's `pipeline()`, one ``IngestRecord`` passes an ordered list of named
/// ``steps``; each enriches the events being built or drops them (all or some) with a
/// ``DropReason``. One loop, after the last step, counts the drops for `/metrics`.
struct IngestPipeline: Sendable {
    let sites: SiteDirectory
    let salts: SaltCache
    /// IP → organisation layers; nil leaves networks unknown.
    var intelligence: IPIntelligence? = nil
    /// Bot and shield drops, persisted per site and day.
    var botTally = BotTally()
    var pace = PaceGate()
    /// Counts tracked visitors per tenant and enforces visitor quotas; nil counts nothing.
    var usage: UsageMeter? = nil
    /// Where drop counts go; nil in tests that read ``Outcome/dropped`` only.
    var metrics: FootfallMetrics? = nil
    let userAgents = UserAgentClassifier()
    let referrers = ReferrerClassifier()

    /// One named step: enriches the record or drops events from it.
    struct Step: Sendable {
        let name: String
        let run: @Sendable (IngestPipeline, inout IngestRecord) -> Void
    }

    /// The steps, in order. Site resolution (unknown keys are refused with 404, not dropped)
    /// happens before them.
    static let steps: [Step] = [
        Step(name: "dropOptedOut") { $0.dropOptedOut(&$1) },
        Step(name: "putUserAgent") { $0.putUserAgent(&$1) },
        Step(name: "putNetwork") { $0.putNetwork(&$1) },
        Step(name: "shieldNetwork") { $0.shieldNetwork(&$1) },
        Step(name: "shieldPage") { $0.shieldPage(&$1) },
        Step(name: "dropBot") { $0.dropBot(&$1) },
        Step(name: "dropExcludedPath") { $0.dropExcludedPath(&$1) },
        Step(name: "scrubPersonalData") { $0.scrubPersonalData(&$1) },
        Step(name: "putSource") { $0.putSource(&$1) },
        Step(name: "putVisitor") { $0.putVisitor(&$1) },
        Step(name: "putFirstPartyVisitor") { $0.putFirstPartyVisitor(&$1) },
        Step(name: "dropImpossibleTiming") { $0.dropImpossibleTiming(&$1) },
        Step(name: "dropOverQuota") { $0.dropOverQuota(&$1) },
    ]

    /// Events to store and counts of dropped events.
    struct Outcome: Equatable {
        var events: [Event] = []
        var dropped: [DropReason: Int] = [:]
    }

    /// Resolves the batch's site and today's salt (reading the catalog when not cached),
    /// then runs the steps.
    /// - Throws: ``IngestError/unknownSite(_:)``, ``IngestError/mixedSites``, or a catalog error.
    func process(_ beacons: [Beacon], request: BeaconRequest) async throws -> Outcome {
        let key = try Self.siteKey(beacons)
        guard let site = try await sites.site(key: key) else { throw IngestError.unknownSite(key) }
        let daySalts = try await salts.salts(atMs: request.receivedAt)
        return run(IngestRecord(beacons: beacons, request: request, site: site, salts: daySalts))
    }

    /// ``process(_:request:)`` without suspending, for the event-loop front end: nil when the
    /// site or salt is not in memory (the caller then uses the async form).
    func processCached(_ beacons: [Beacon], request: BeaconRequest) throws(IngestError) -> Outcome? {
        let key = try Self.siteKey(beacons)
        guard let site = sites.cachedSite(key: key), let daySalts = salts.cachedSalts(atMs: request.receivedAt) else { return nil }
        return run(IngestRecord(beacons: beacons, request: request, site: site, salts: daySalts))
    }

    /// Drops the steps do not tally themselves (bots and shields are tallied with their
    /// family as they are judged); these go to `/api/v1/filtered` with an empty family.
    static let tallyAfterRun: Set<DropReason> = [.doNotTrack, .excludedPath, .quota]

    /// Runs every step, then counts the drops.
    func run(_ record: IngestRecord) -> Outcome {
        var record = record
        for step in Self.steps where !record.items.isEmpty {
            step.run(self, &record)
        }
        for (reason, count) in record.dropped where Self.tallyAfterRun.contains(reason) && count > 0 {
            botTally.add(siteID: record.site.id, atMs: record.request.receivedAt, family: "", signal: reason.rawValue, count: count)
        }
        if let metrics {
            for (reason, count) in record.dropped { metrics.eventDropped(reason: reason, count: count) }
        }
        return Outcome(events: record.events, dropped: record.dropped)
    }

    static func siteKey(_ beacons: [Beacon]) throws(IngestError) -> String {
        let key = beacons[0].siteKey
        guard beacons.allSatisfy({ $0.siteKey == key }) else { throw IngestError.mixedSites }
        return key
    }

    func dropOptedOut(_ record: inout IngestRecord) {
        if record.site.honourDoNotTrack && record.request.optedOut { record.dropAll(.doNotTrack) }
    }

    /// Browser, OS, device (the device class corrected by each event's screen).
    func putUserAgent(_ record: inout IngestRecord) {
        let userAgent = userAgents.classify(record.request.userAgent)
        record.userAgent = userAgent
        for index in record.items.indices {
            record.items[index].event.userAgent = userAgent.adjusted(for: record.items[index].beacon.screen)
        }
    }

    /// Organisation, domain, ASN, network type and country from the IP (``IPIntelligence``:
    /// tenant ranges → MMDB → range files → cached rDNS), then the IP in the form the site's
    /// policy allows.
    func putNetwork(_ record: inout IngestRecord) {
        let ip = record.request.clientIP
        var network = intelligence?.lookup(ip, tenantID: record.site.tenantID).network ?? .unknown
        network.storedIP = IPPrivacy.storedForm(of: ip, policy: record.site.ipPolicy, salt: record.salts.current)
        record.network = network
        for index in record.items.indices { record.items[index].event.network = network }
    }

    /// The site's address, ASN and country shields (``Shields``).
    func shieldNetwork(_ record: inout IngestRecord) {
        let shields = record.site.shields
        let reason: DropReason? =
            if let ip = record.request.clientIP, shields.ipRanges.contains(where: { IPRange($0)?.contains(ip) ?? false }) {
                .shieldIP
            } else if record.network.asn != 0 && shields.asns.contains(record.network.asn) {
                .shieldASN
            } else if !record.network.country.isEmpty && shields.countries.contains(record.network.country.uppercased()) {
                .shieldCountry
            } else {
                nil
            }
        guard let reason else { return }
        tally(record.items.count, reason, record)
        record.dropAll(reason)
    }

    /// The site's hostname and path shields, per event.
    func shieldPage(_ record: inout IngestRecord) {
        let shields = record.site.shields
        guard !shields.hosts.isEmpty || !shields.paths.isEmpty else { return }
        for (reason, shielded) in [
            (DropReason.shieldHost, { (item: IngestRecord.Item) in shields.shields(host: URLParts(item.event.url).host) }),
            (DropReason.shieldPath, { (item: IngestRecord.Item) in shields.shields(path: item.event.path) }),
        ] {
            let before = record.dropped[reason, default: 0]
            record.drop(reason, where: shielded)
            tally(record.dropped[reason, default: 0] - before, reason, record)
        }
    }

    func tally(_ count: Int, _ reason: DropReason, _ record: IngestRecord) {
        guard count > 0 else { return }
        metrics?.shieldDropped(siteKey: record.site.key, reason: reason, count: count)
        botTally.add(siteID: record.site.id, atMs: record.request.receivedAt, family: "Shield", signal: reason.rawValue, count: count)
    }

    /// Bot User-Agents, `navigator.webdriver`, data-centre networks: counted per bot family
    /// in the catalog (``BotTally``), never stored as events.
    func dropBot(_ record: inout IngestRecord) {
        guard let verdict = BotVerdict.judge(
            userAgent: record.userAgent, webdriver: record.items.contains(where: \.beacon.isWebDriver),
            networkType: record.network.networkType) else { return }
        dropBot(&record, verdict: verdict)
    }

    func dropBot(_ record: inout IngestRecord, verdict: BotVerdict) {
        botTally.add(siteID: record.site.id, atMs: record.request.receivedAt, verdict: verdict, count: record.items.count)
        record.dropAll(DropReason(verdict.signal))
    }

    /// Events of pages the site excluded (the tracker skips them too; this catches trackers
    /// running on a config cached from before the change).
    func dropExcludedPath(_ record: inout IngestRecord) {
        let tracker = record.site.tracker
        record.drop(.excludedPath) { tracker.excludes(path: $0.event.path) }
    }

    /// Personal data never reaches storage: see ``PersonalDataScrubber`` for what is removed
    /// from URL, referrer and properties; consented geolocation is rounded to the site's grid.
    func scrubPersonalData(_ record: inout IngestRecord) {
        let site = record.site
        let scrubber = PersonalDataScrubber(stripParameters: site.privacy.stripParameters)
        for index in record.items.indices {
            var event = record.items[index].event
            event.url = scrubber.scrub(url: event.url)
            event.path = PagePath.of(url: event.url, hashRouting: site.tracker.hashRouting)
            event.referrer = scrubber.scrub(url: event.referrer)
            event.customProps = scrubber.scrub(props: event.customProps)
            event.geo = event.geo.map(site.privacy.rounded)
            record.items[index].event = event
        }
    }

    /// Medium, source, campaign from URL and referrer; the site's referral exclusions
    /// (payment, sign-in hops) neither start a visit nor replace its source.
    func putSource(_ record: inout IngestRecord) {
        let site = record.site
        for index in record.items.indices {
            let event = record.items[index].event
            record.items[index].event.source = referrers.classify(
                url: event.url, referrer: event.referrer, siteDomains: site.domains, exclusions: site.tracker.referralExclusions)
        }
    }

    /// The salted daily visitor hash of IP + User-Agent; during the grace window after
    /// midnight, a visitor active just before it keeps yesterday's id.
    func putVisitor(_ record: inout IngestRecord) {
        let ip = record.request.clientIP?.description ?? "", userAgent = record.request.userAgent
        var visitor = VisitorIdentity.visitorID(salt: record.salts.current, siteID: record.site.id, ip: ip, userAgent: userAgent)
        if let previous = record.salts.previous {
            let yesterday = VisitorIdentity.visitorID(salt: previous, siteID: record.site.id, ip: ip, userAgent: userAgent)
            if salts.midnightVisitors.contains(yesterday, atMs: record.request.receivedAt) { visitor = yesterday }
        }
        salts.midnightVisitors.record(visitor, atMs: record.request.receivedAt)
        for index in record.items.indices { record.items[index].event.visitorID = visitor }
    }

    /// The tracker's first-party id as visitor, if the site opted in; sites that did not
    /// stay cookieless even if a beacon carries an `fp`.
    func putFirstPartyVisitor(_ record: inout IngestRecord) {
        guard record.site.tracker.firstPartyID else { return }
        for index in record.items.indices where !record.items[index].beacon.firstPartyID.isEmpty {
            record.items[index].event.visitorID = VisitorIdentity.visitorID(
                firstPartyID: record.items[index].beacon.firstPartyID, siteID: record.site.id)
        }
    }

    /// Visitors loading pages faster than a person can read.
    ///
    /// Judged only for first-party visitor ids, where a visitor is one browser: the cookieless
    /// hash of IP + User-Agent merges everyone behind an office NAT on the same browser build,
    /// and those are exactly the visitors that become leads.
    func dropImpossibleTiming(_ record: inout IngestRecord) {
        guard record.site.tracker.firstPartyID, record.items.contains(where: { !$0.beacon.firstPartyID.isEmpty }),
              let visitor = record.items.first?.event.visitorID else { return }
        let pageviews = record.items.count { $0.event.type == .pageview }
        guard pace.isImpossible(visitor: visitor, pageviews: pageviews, atMs: record.request.receivedAt) else { return }
        dropBot(&record, verdict: BotVerdict(signal: .impossibleTiming, family: "Fast " + record.userAgent.browser))
    }

    /// Events of new visitors the tenant's monthly visitor quota has no room for; the beacon
    /// is still answered 202 (the visitor's page never sees an error).
    func dropOverQuota(_ record: inout IngestRecord) {
        guard let usage else { return }
        let tenantID = record.site.tenantID, now = record.request.receivedAt
        record.drop(.quota) { !usage.admitVisitor(tenantID: tenantID, visitorID: $0.event.visitorID, now: now) }
    }
}
