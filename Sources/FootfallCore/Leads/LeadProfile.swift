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
        let place = Self.mostCommon(places).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let matchSource = LeadMatchSource.allCases.first { matchSources[$0.rawValue] != nil } ?? .unknown
        var keyHits: [String: Int] = [:]
        for page in settings.keyPages {
            let hits = pages.reduce(0) { $0 + (page.pattern.matches($1.key) ? $1.value : 0) }
            if hits > 0 { keyHits[page.pattern.text] = hits }
        }
        var lead = Lead(
            id: identity.leadID, siteID: identity.siteID, organisation: Self.mostCommon(names), domain: identity.domain,
            asn: Int(Self.mostCommon(asns)) ?? 0,
            networkType: NetworkType(rawValue: Self.mostCommon(networkTypes)) ?? .unknown,
            country: place.count == 3 ? place[0] : "", region: place.count == 3 ? place[1] : "",
            city: place.count == 3 ? place[2] : "", matchSource: matchSource, confidence: matchSource.confidence,
            firstSeen: firstSeen, lastSeen: lastSeen, visits: visits, visitors: visitors.count,
            returningVisits: max(0, days.count - 1), pageviews: pageviews, engagedMs: engagedMs, keyPages: keyHits,
            topPages: Self.ranked(pages, limit: 10), sources: Self.ranked(sources), campaigns: Self.ranked(campaigns),
            account: account, updatedAt: now)
        (lead.score, lead.scoreExplanation) = LeadScorer(settings: settings).score(lead, now: now)
        return lead
    }
}
