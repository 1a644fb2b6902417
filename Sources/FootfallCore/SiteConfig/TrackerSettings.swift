/// A site's live tracker settings, changed with `footfall site config` and applied by the
/// tracker on its next page load (through `GET /c/SITE_KEY.json`) and by ingest.
///
/// The Do-Not-Track / Global Privacy Control policy is ``Site/honourDoNotTrack``.
public struct TrackerSettings: Sendable, Equatable, Codable {
    /// Pages not tracked at all, as ``PathPattern``s (`/admin/*`).
    public var excludedPaths: [PathPattern]
    /// Count `#/route` changes as page views (hash-routed single-page apps).
    public var hashRouting: Bool
    /// Link file extensions counted as downloads, lowercase, without the dot.
    public var downloadExtensions: [String]
    /// Percent of browser sessions tracked, 1–100.
    public var samplePercent: Int
    /// The tracker keeps a random first-party id in `localStorage` and the server uses it as
    /// the visitor id, so visits of one browser link across days. Off: cookieless daily hash.
    public var firstPartyID: Bool
    /// Track pages on `localhost`, `127.0.0.1` and `file://` (development and the demo site).
    public var allowLocalhost: Bool
    /// Extra referral exclusions (lower-case hosts, each also matching its subdomains) besides
    /// ``ReferralExclusions/builtIn``: hops such as a site's own payment provider that must not
    /// start a visit or replace its source. Applied by ingest only.
    public var referralExclusions: [String] = []

    /// Extensions counted as downloads unless a site configures its own.
    public static let defaultDownloadExtensions = [
        "pdf", "zip", "gz", "tgz", "dmg", "exe", "msi", "pkg", "deb", "rpm", "apk", "iso",
        "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "csv", "txt", "epub",
        "mp3", "mp4", "mov", "avi", "wav",
    ]

    public init(
        excludedPaths: [PathPattern] = [], hashRouting: Bool = false,
        downloadExtensions: [String] = TrackerSettings.defaultDownloadExtensions, samplePercent: Int = 100,
        firstPartyID: Bool = false, allowLocalhost: Bool = false
    ) {
        self.excludedPaths = excludedPaths
        self.hashRouting = hashRouting
        self.downloadExtensions = downloadExtensions
        self.samplePercent = samplePercent
        self.firstPartyID = firstPartyID
        self.allowLocalhost = allowLocalhost
    }

    /// Whether `path` (a URL path) is excluded from tracking.
    public func excludes(path: String) -> Bool {
        excludedPaths.contains { $0.matches(path) }
    }

    enum CodingKeys: String, CodingKey {
        case excludedPaths, hashRouting, downloadExtensions, samplePercent, firstPartyID, allowLocalhost
        case referralExclusions
    }

    // Stored as JSON in the catalog: settings added later decode to their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = TrackerSettings()
        excludedPaths = try container.decodeIfPresent([PathPattern].self, forKey: .excludedPaths) ?? defaults.excludedPaths
        hashRouting = try container.decodeIfPresent(Bool.self, forKey: .hashRouting) ?? defaults.hashRouting
        downloadExtensions = try container.decodeIfPresent([String].self, forKey: .downloadExtensions)
            ?? defaults.downloadExtensions
        samplePercent = try container.decodeIfPresent(Int.self, forKey: .samplePercent) ?? defaults.samplePercent
        firstPartyID = try container.decodeIfPresent(Bool.self, forKey: .firstPartyID) ?? defaults.firstPartyID
        allowLocalhost = try container.decodeIfPresent(Bool.self, forKey: .allowLocalhost) ?? defaults.allowLocalhost
        referralExclusions = try container.decodeIfPresent([String].self, forKey: .referralExclusions)
            ?? defaults.referralExclusions
    }
}
