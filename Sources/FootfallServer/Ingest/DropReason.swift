/// Why an accepted beacon's event was not stored. Labels `footfall_events_dropped_total`.
enum DropReason: String, Sendable, CaseIterable {
    /// The browser sent Do-Not-Track or Global Privacy Control and the site honours it.
    case doNotTrack = "do_not_track"
    /// The User-Agent is a crawler, monitor, headless browser or HTTP library.
    case bot
    /// The page's path matches one of the site's excluded paths.
    case excludedPath = "excluded_path"
}
