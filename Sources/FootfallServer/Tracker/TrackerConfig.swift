import FootfallCore
import Foundation

/// The site config the tracker loads from `GET /c/SITE_KEY.json` before sending anything.
///
/// Keys are short because the tracker's code must stay under 1,500 bytes gzipped; pattern
/// lists arrive as ready regular expressions so the tracker needs no matching code.
struct TrackerConfig: Encodable, Equatable {
    /// Excluded pages: one regular expression over the path (plus hash with hash routing); "" for none.
    let x: String
    /// Hash routing.
    let h: Bool
    /// Download links: a case-insensitive regular expression over the link's path.
    let d: String
    /// Honour Do-Not-Track / Global Privacy Control.
    let dnt: Bool
    /// Percent of tab sessions tracked.
    let sr: Int
    /// Keep and send a first-party id.
    let fp: Bool
    /// Track on localhost / file://.
    let lh: Bool

    init(site: Site) {
        let settings = site.tracker
        x = PathPattern.javaScriptRegex(settings.excludedPaths)
        h = settings.hashRouting
        // Extensions are validated to letters and digits, so they need no escaping;
        // `(?!)` never matches: no link counts as a download.
        d = settings.downloadExtensions.isEmpty
            ? "(?!)" : "\\.(" + settings.downloadExtensions.joined(separator: "|") + ")$"
        dnt = site.honourDoNotTrack
        sr = settings.samplePercent
        fp = settings.firstPartyID
        lh = settings.allowLocalhost
    }

    /// The JSON body and its strong ETag.
    func encoded() throws -> (body: Data, etag: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(self)
        return (body, TrackerRoutes.entityTag(of: Array(body)))
    }
}
