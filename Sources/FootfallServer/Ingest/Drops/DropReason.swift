import FootfallCore

/// Why an accepted beacon's event was not stored. Labels `footfall_events_dropped_total`.
enum DropReason: String, Sendable, CaseIterable {
    /// The browser sent Do-Not-Track or Global Privacy Control and the site honours it.
    case doNotTrack = "do_not_track"
    /// The User-Agent is a crawler, monitor, headless browser or HTTP library.
    case bot
    /// The page's path matches one of the site's excluded paths.
    case excludedPath = "excluded_path"
    /// The tracker reported `navigator.webdriver`: an automated browser.
    case botWebDriver = "bot_webdriver"
    /// The request came from a hosting / data-centre network.
    case botDatacenter = "bot_datacenter"
    /// The visitor loaded pages faster than a person can.
    case botImpossibleTiming = "bot_impossible_timing"
    /// A new visitor beyond the tenant's monthly visitor quota (``UsageMeter``).
    case quota
    /// The client address is in one of the site's shielded addresses or networks.
    case shieldIP = "shield_ip"
    /// The client network's AS number is shielded by the site.
    case shieldASN = "shield_asn"
    /// The client's country is shielded by the site.
    case shieldCountry = "shield_country"
    /// The page's path matches one of the site's shielded paths.
    case shieldPath = "shield_path"
    /// The page's hostname is shielded by the site (a staging host, say).
    case shieldHost = "shield_host"

    /// The drop reason of a bot verdict.
    init(_ signal: BotVerdict.Signal) {
        switch signal {
        case .userAgent: self = .bot
        case .webdriver: self = .botWebDriver
        case .datacenter: self = .botDatacenter
        case .impossibleTiming: self = .botImpossibleTiming
        }
    }
}
