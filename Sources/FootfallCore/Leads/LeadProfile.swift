extension LeadTally {
    /// The lead these totals describe, scored at `now`.
    /// - Parameters:
    ///   - identity: the site and organisation.
    ///   - firstSeen: earliest visit start, ms since the epoch.
    ///   - lastSeen: latest visit end, ms since the epoch.
    ///   - account: the tenant's account record for the lead's domain, if any.
    ///   - settings: the site's scoring settings.
    ///   - now: when the score is taken (recency decay), ms since the epoch.
    public func lead(
        identity: LeadIdentity, firstSeen: Int64, lastSeen: Int64, account: Account?, settings: LeadSettings, now: Int64
    ) -> Lead {
        var keyHits: [String: Int] = [:]
        for (path, count) in pages { settings.addKeyPageHits(path: path, count: count, to: &keyHits) }
        return lead(
            identity: identity, firstSeen: firstSeen, lastSeen: lastSeen, visitors: visitors.count,
            topPages: Self.ranked(pages, limit: Self.topPageCount), keyPages: keyHits, account: account,
            settings: settings, now: now)
    }

    /// How many of the most viewed paths a lead shows.
    public static let topPageCount = 10

    /// The lead these totals describe when its visitors and pages are counted elsewhere (the
    /// lead store keeps them as rows, since they grow with the lead): `visitors` and `pages`
    /// are ignored, the three figures derived from them are given.
    /// - Parameters:
    ///   - visitors: distinct visitor ids among the visits.
    ///   - topPages: the ``topPageCount`` most viewed paths, most first, ties by path.
    ///   - keyPages: page views per key-page pattern of `settings`, only patterns hit.
    public func lead(
        identity: LeadIdentity, firstSeen: Int64, lastSeen: Int64, visitors: Int, topPages: [LeadCount],
        keyPages: [String: Int], account: Account?, settings: LeadSettings, now: Int64
    ) -> Lead {
        let place = Self.mostCommon(places).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let matchSource = LeadMatchSource.allCases.first { matchSources[$0.rawValue] != nil } ?? .unknown
        var lead = Lead(
            id: identity.leadID, siteID: identity.siteID, organisation: Self.mostCommon(names), domain: identity.domain,
            asn: Int(Self.mostCommon(asns)) ?? 0,
            networkType: NetworkType(rawValue: Self.mostCommon(networkTypes)) ?? .unknown,
            country: place.count == 3 ? place[0] : "", region: place.count == 3 ? place[1] : "",
            city: place.count == 3 ? place[2] : "", matchSource: matchSource, confidence: matchSource.confidence,
            firstSeen: firstSeen, lastSeen: lastSeen, visits: visits, visitors: visitors,
            returningVisits: max(0, days.count - 1), pageviews: pageviews, engagedMs: engagedMs, keyPages: keyPages,
            topPages: topPages, sources: Self.ranked(sources), campaigns: Self.ranked(campaigns),
            account: account, updatedAt: now)
        // A lead left without visits (erased, or its visits re-derived elsewhere) is a
        // tombstone: nothing of it scores, account fit included.
        if !lead.isTombstone { (lead.score, lead.scoreExplanation) = LeadScorer(settings: settings).score(lead, now: now) }
        return lead
    }
}

extension LeadSettings {
    /// Adds `count` page views of `path` (negative to take them away) to the hits of every
    /// key-page pattern it matches (a pattern listed twice counts once); a pattern left at
    /// 0 hits is removed.
    public func addKeyPageHits(path: String, count: Int, to hits: inout [String: Int]) {
        for (index, page) in keyPages.enumerated() where page.pattern.matches(path) {
            let text = page.pattern.text
            guard !keyPages[..<index].contains(where: { $0.pattern.text == text }) else { continue }
            LeadTally.add(text, count, to: &hits)
        }
    }

    /// The key-page patterns, as text, in order: what key-page hits were counted under.
    public var keyPagePatterns: [String] { keyPages.map(\.pattern.text) }
}
