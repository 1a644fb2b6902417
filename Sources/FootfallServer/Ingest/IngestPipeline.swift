import FootfallCore
import FootfallEnrich
import FootfallStore

/// What the server knows about a beacon request besides its body.
struct BeaconRequest: Sendable {
    var clientIP: IPAddress?
    var userAgent: String
    /// `DNT: 1` or `Sec-GPC: 1` was sent.
    var optedOut: Bool
    var receivedAt: Int64
}

/// The ingest steps, in order: each beacon is enriched into an event or dropped with a
/// reason that `/metrics` counts.
///
/// 1. `resolveSite`: the site key must exist (else the request is refused with 404).
/// 2. `dropOptedOut`: Do-Not-Track / Global Privacy Control, when the site honours them.
/// 3. `putUserAgent`: browser, OS, device.
/// 4. `putNetwork`: organisation, domain, ASN, network type and country from the IP
///    (``IPIntelligence``: tenant ranges → MMDB → range files → cached rDNS), then the IP
///    in the form the site's policy allows.
/// 5. `dropBot`: bot User-Agents, `navigator.webdriver`, data-centre networks — counted per
///    bot family in the catalog (``BotTally``), never stored as events.
/// 6. `dropExcludedPath`: events of pages the site excluded (the tracker skips them too;
///    this catches trackers running on a config cached from before the change).
/// 7. `scrubPersonalData`: e-mail addresses, phone and card numbers, tokens, credentials and
///    sensitive parameters removed from URL, referrer and properties; consented geolocation
///    rounded to the site's grid (``PersonalDataScrubber``, ``PrivacySettings``).
/// 8. `putSource`: medium, source, campaign from URL and referrer.
/// 9. `putVisitor`: the salted daily visitor hash (yesterday's salt during the grace window
///    after midnight for visitors active just before it).
/// 10. `putFirstPartyVisitor`: the tracker's first-party id as visitor, if the site opted in.
/// 11. `dropImpossibleTiming`: visitors loading pages faster than a person can.
/// 12. `dropOverQuota`: events of new visitors once the tenant's monthly visitor quota is used up.
struct IngestPipeline: Sendable {
    let sites: SiteDirectory
    let salts: SaltCache
    /// IP → organisation layers; nil leaves networks unknown.
    var intelligence: IPIntelligence? = nil
    var botTally = BotTally()
    var pace = PaceGate()
    /// Counts tracked visitors per tenant and enforces visitor quotas; nil counts nothing.
    var usage: UsageMeter? = nil
    let userAgents = UserAgentClassifier()
    let referrers = ReferrerClassifier()

    /// Events to store and counts of dropped events.
    struct Outcome {
        var events: [Event] = []
        var dropped: [DropReason: Int] = [:]
    }

    func process(_ beacons: [Beacon], request: BeaconRequest) async throws -> Outcome {
        let site = try await resolveSite(beacons)
        var outcome = Outcome()
        if let reason = dropOptedOut(site: site, request: request) {
            outcome.dropped[reason] = beacons.count
            return outcome
        }
        let userAgent = userAgents.classify(request.userAgent)
        let daySalts = try await salts.salts(atMs: request.receivedAt)
        let network = putNetwork(site: site, request: request, salt: daySalts.current)
        if let verdict = BotVerdict.judge(
            userAgent: userAgent, webdriver: beacons.contains(where: \.isWebDriver), networkType: network.networkType) {
            return dropBot(count: beacons.count, verdict: verdict, site: site, request: request)
        }
        for (index, beacon) in beacons.enumerated() {
            if let reason = dropExcludedPath(beacon, site: site) {
                outcome.dropped[reason, default: 0] += 1
                continue
            }
            // Visits order events by (time, id); stamping the n-th event of a batch n ms later
            // keeps the batch's order (≤ 50 events, so ≤ 49 ms).
            var event = Event(
                id: beacon.id, siteID: site.id, visitorID: 0, type: beacon.type, timestamp: request.receivedAt + Int64(index),
                url: beacon.url, path: PagePath.of(url: beacon.url, hashRouting: site.tracker.hashRouting), referrer: beacon.referrer,
                pageLoadID: beacon.pageLoadID, isSPANavigation: beacon.isSPANavigation, screen: beacon.screen,
                language: beacon.language, timeZone: beacon.timeZone, engagedMs: beacon.engagedMs,
                maxScrollPercent: beacon.maxScrollPercent, clickTarget: beacon.clickTarget,
                customName: beacon.customName, customProps: beacon.customProps, geo: beacon.geo,
                userAgent: userAgent.adjusted(for: beacon.screen), network: network)

            scrubPersonalData(&event, site: site)

            putSource(&event, site: site)
            putVisitor(&event, request: request, salts: daySalts)
            putFirstPartyVisitor(&event, firstPartyID: beacon.firstPartyID, site: site)
            outcome.events.append(event)
        }
        if let verdict = dropImpossibleTiming(outcome.events, beacons: beacons, site: site, userAgent: userAgent, request: request) {
            let bot = dropBot(count: outcome.events.count, verdict: verdict, site: site, request: request)
            outcome.events = []
            outcome.dropped.merge(bot.dropped, uniquingKeysWith: +)
        }
        dropOverQuota(&outcome, site: site, request: request)
        return outcome
    }

    /// Drops the events of visitors the tenant's monthly visitor quota has no room for; the
    /// beacon is still answered 202 (the visitor's page never sees an error).
    func dropOverQuota(_ outcome: inout Outcome, site: Site, request: BeaconRequest) {
        guard let usage, !outcome.events.isEmpty else { return }
        let before = outcome.events.count
        outcome.events.removeAll {
            !usage.admitVisitor(tenantID: site.tenantID, visitorID: $0.visitorID, now: request.receivedAt)
        }
        if outcome.events.count < before { outcome.dropped[.quota, default: 0] += before - outcome.events.count }
    }

    /// A bot verdict when this visitor's page views arrive faster than a person can read.
    ///
    /// Judged only for first-party visitor ids, where a visitor is one browser: the cookieless
    /// hash of IP + User-Agent merges everyone behind an office NAT on the same browser build,
    /// and those are exactly the visitors that become leads.
    func dropImpossibleTiming(
        _ events: [Event], beacons: [Beacon], site: Site, userAgent: UserAgentInfo, request: BeaconRequest
    ) -> BotVerdict? {
        guard site.tracker.firstPartyID, beacons.contains(where: { !$0.firstPartyID.isEmpty }),
              let visitor = events.first?.visitorID else { return nil }
        let pageviews = events.count { $0.type == .pageview }
        guard pace.isImpossible(visitor: visitor, pageviews: pageviews, atMs: request.receivedAt) else { return nil }
        return BotVerdict(signal: .impossibleTiming, family: "Fast " + userAgent.browser)
    }

    /// Counts `count` events under the bot's family; the outcome stores none of them.
    func dropBot(count: Int, verdict: BotVerdict, site: Site, request: BeaconRequest) -> Outcome {
        botTally.add(siteID: site.id, atMs: request.receivedAt, verdict: verdict, count: count)
        return Outcome(events: [], dropped: [DropReason(verdict.signal): count])
    }

    func resolveSite(_ beacons: [Beacon]) async throws -> Site {
        let key = beacons[0].siteKey
        guard beacons.allSatisfy({ $0.siteKey == key }) else { throw IngestError.mixedSites }
        guard let site = try await sites.site(key: key) else { throw IngestError.unknownSite(key) }
        return site
    }

    func dropOptedOut(site: Site, request: BeaconRequest) -> DropReason? {
        site.honourDoNotTrack && request.optedOut ? .doNotTrack : nil
    }

    func putSource(_ event: inout Event, site: Site) {
        event.source = referrers.classify(
            url: event.url, referrer: event.referrer, siteDomains: site.domains, exclusions: site.tracker.referralExclusions)
    }

    /// Personal data never reaches storage: see ``PersonalDataScrubber`` for what is removed.
    func scrubPersonalData(_ event: inout Event, site: Site) {
        let scrubber = PersonalDataScrubber(stripParameters: site.privacy.stripParameters)
        event.url = scrubber.scrub(url: event.url)
        event.path = PagePath.of(url: event.url, hashRouting: site.tracker.hashRouting)
        event.referrer = scrubber.scrub(url: event.referrer)
        event.customProps = scrubber.scrub(props: event.customProps)
        event.geo = event.geo.map(site.privacy.rounded)
    }

    func putVisitor(_ event: inout Event, request: BeaconRequest, salts: VisitorSalts) {
        let ip = request.clientIP?.description ?? ""
        event.visitorID = VisitorIdentity.visitorID(salt: salts.current, siteID: event.siteID, ip: ip, userAgent: request.userAgent)
        if let previous = salts.previous {
            let yesterday = VisitorIdentity.visitorID(salt: previous, siteID: event.siteID, ip: ip, userAgent: request.userAgent)
            if self.salts.midnightVisitors.contains(yesterday, atMs: event.timestamp) { event.visitorID = yesterday }
        }
        self.salts.midnightVisitors.record(event.visitorID, atMs: event.timestamp)
    }

    func dropExcludedPath(_ beacon: Beacon, site: Site) -> DropReason? {
        site.tracker.excludes(path: URLParts(beacon.url).path) ? .excludedPath : nil
    }

    /// Sites that did not opt in stay cookieless even if a beacon carries an `fp`.
    func putFirstPartyVisitor(_ event: inout Event, firstPartyID: String, site: Site) {
        guard site.tracker.firstPartyID, !firstPartyID.isEmpty else { return }
        event.visitorID = VisitorIdentity.visitorID(firstPartyID: firstPartyID, siteID: site.id)
    }

    func putNetwork(site: Site, request: BeaconRequest, salt: [UInt8]) -> NetworkInfo {
        var network = intelligence?.lookup(request.clientIP, tenantID: site.tenantID).network ?? .unknown
        network.storedIP = IPPrivacy.storedForm(of: request.clientIP, policy: site.ipPolicy, salt: salt)
        return network
    }
}
