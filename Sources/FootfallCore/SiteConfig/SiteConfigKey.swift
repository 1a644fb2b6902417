import Foundation

/// The settings `footfall site config SITE --set key=value` can change, with their text form.
public enum SiteConfigKey: String, CaseIterable, Sendable {
    /// Comma-separated ``PathPattern``s; empty to track every page.
    case excludedPaths = "excluded_paths"
    case hashRouting = "hash_routing"
    /// Comma-separated extensions; `default` restores the built-in list.
    case downloadExtensions = "download_extensions"
    /// Honour Do-Not-Track / Global Privacy Control (tracker sends nothing, server drops).
    case honourDNT = "honour_dnt"
    case samplePercent = "sample_percent"
    case firstPartyID = "first_party_id"
    case allowLocalhost = "allow_localhost"
    /// How visitor IPs are kept after enrichment: `truncate` (default), `hash` or `drop`.
    case ipPolicy = "ip_policy"
    /// Comma-separated query parameters whose values are removed before storage.
    case stripParams = "strip_params"
    /// Days events and visits are kept, 1–3650 (default 396, 13 months).
    case retentionDays = "retention_days"
    /// Degrees consented geolocations are rounded to, 0.01–10 (default 0.01).
    case geoPrecision = "geo_precision"
    /// Comma-separated `pattern:points` pairs, e.g. `/pricing*:30,/careers*:-20`; empty for none.
    case leadKeyPages = "lead_key_pages"
    /// Days after which a lead's engagement points count half, 1–365.
    case leadHalfLifeDays = "lead_half_life_days"
    /// `name=value` scoring weights (see ``LeadWeights``); unnamed weights are kept.
    case leadWeights = "lead_weights"
    /// Comma-separated hosts whose referrals neither start a visit nor replace its source.
    case referralExclusions = "referral_exclusions"
    /// Comma-separated addresses or CIDR networks whose traffic is dropped (`shield_ip`).
    case shieldIPs = "shield_ips"
    /// Comma-separated AS numbers (`AS15169` or `15169`) whose traffic is dropped (`shield_asn`).
    case shieldASNs = "shield_asns"
    /// Comma-separated ISO country codes whose traffic is dropped (`shield_country`).
    case shieldCountries = "shield_countries"
    /// Comma-separated ``PathPattern``s of pages whose events are dropped (`shield_path`).
    case shieldPaths = "shield_paths"
    /// Comma-separated hostnames (`staging.acme.com`, `*.preview.acme.com`) whose events are dropped (`shield_host`).
    case shieldHosts = "shield_hosts"

    /// Most excluded paths or download extensions one site may list.
    static let maxListCount = 50

    /// The setting's current value on `site`, in the form `--set` accepts.
    public func value(in site: Site) -> String {
        let tracker = site.tracker
        return switch self {
        case .excludedPaths: tracker.excludedPaths.map(\.text).joined(separator: ",")
        case .hashRouting: String(tracker.hashRouting)
        case .downloadExtensions: tracker.downloadExtensions.joined(separator: ",")
        case .honourDNT: String(site.honourDoNotTrack)
        case .samplePercent: String(tracker.samplePercent)
        case .firstPartyID: String(tracker.firstPartyID)
        case .allowLocalhost: String(tracker.allowLocalhost)
        case .ipPolicy: site.ipPolicy.rawValue
        case .stripParams: site.privacy.stripParameters.joined(separator: ",")
        case .retentionDays: String(site.privacy.retentionDays)
        case .geoPrecision: String(site.privacy.geoPrecision)
        case .leadKeyPages: site.leads.keyPages.map(\.text).joined(separator: ",")
        case .leadHalfLifeDays: String(site.leads.halfLifeDays)
        case .leadWeights: site.leads.weights.text
        case .referralExclusions: tracker.referralExclusions.joined(separator: ",")
        case .shieldIPs: site.shields.ipRanges.joined(separator: ",")
        case .shieldASNs: site.shields.asns.map(String.init).joined(separator: ",")
        case .shieldCountries: site.shields.countries.joined(separator: ",")
        case .shieldPaths: site.shields.paths.map(\.text).joined(separator: ",")
        case .shieldHosts: site.shields.hosts.joined(separator: ",")
        }
    }

    /// Sets the setting on `site` from its text form.
    /// - Throws: ``SiteConfigError/invalidValue(key:value:expected:)`` naming what is accepted.
    public func set(_ text: String, on site: inout Site) throws(SiteConfigError) {
        switch self {
        case .excludedPaths:
            var patterns: [PathPattern] = []
            for item in try list(text) {
                guard let pattern = PathPattern(item) else {
                    throw invalid(item, expected: "paths starting with / or *, without spaces, control characters, commas, ;, ? or #")
                }
                patterns.append(pattern)
            }
            site.tracker.excludedPaths = patterns
        case .hashRouting: site.tracker.hashRouting = try bool(text)
        case .downloadExtensions:
            if text == "default" {
                site.tracker.downloadExtensions = TrackerSettings.defaultDownloadExtensions
                return
            }
            var extensions: [String] = []
            for item in try list(text) {
                let ext = item.hasPrefix(".") ? String(item.dropFirst()).lowercased() : item.lowercased()
                guard (1...10).contains(ext.count), ext.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                    throw invalid(item, expected: "extensions of 1–10 letters or digits, comma-separated, or 'default'")
                }
                if !extensions.contains(ext) { extensions.append(ext) }
            }
            site.tracker.downloadExtensions = extensions
        case .honourDNT: site.honourDoNotTrack = try bool(text)
        case .samplePercent:
            guard let percent = Int(text), (1...100).contains(percent) else {
                throw invalid(text, expected: "an integer percent from 1 to 100")
            }
            site.tracker.samplePercent = percent
        case .firstPartyID: site.tracker.firstPartyID = try bool(text)
        case .allowLocalhost: site.tracker.allowLocalhost = try bool(text)
        case .ipPolicy:
            guard let policy = IPPolicy(rawValue: text.lowercased()) else {
                throw invalid(text, expected: IPPolicy.allCases.map(\.rawValue).joined(separator: ", "))
            }
            site.ipPolicy = policy
        case .stripParams:
            var names: [String] = []
            for item in try list(text) {
                guard item.count <= 64, item.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.[]".contains($0)) }) else {
                    throw invalid(item, expected: "query parameter names of up to 64 letters, digits, - _ . [ ]")
                }
                let name = item.lowercased()
                if !names.contains(name) { names.append(name) }
            }
            site.privacy.stripParameters = names
        case .retentionDays:
            guard let days = Int(text), (1...3650).contains(days) else {
                throw invalid(text, expected: "a number of days from 1 to 3650")
            }
            site.privacy.retentionDays = days
        case .geoPrecision:
            guard let degrees = Double(text), (PrivacySettings.finestGeoPrecision...10).contains(degrees) else {
                throw invalid(text, expected: "degrees from 0.01 to 10")
            }
            site.privacy.geoPrecision = degrees
        case .leadKeyPages:
            guard let pages = LeadSettings.keyPages(from: text), pages.count <= Self.maxListCount else {
                throw invalid(text, expected: "comma-separated pattern:points pairs (points -100 to 100), each pattern once, at most \(Self.maxListCount)")
            }
            site.leads.keyPages = pages
        case .leadHalfLifeDays:
            guard let days = Int(text), (1...365).contains(days) else {
                throw invalid(text, expected: "an integer number of days from 1 to 365")
            }
            site.leads.halfLifeDays = days
        case .leadWeights:
            guard let weights = site.leads.weights.applying(text) else {
                throw invalid(text, expected: "'default' or name=value pairs (each name once) with integers 0 to 100; names: "
                    + LeadWeights.names.map(\.0).joined(separator: ", "))
            }
            site.leads.weights = weights
        case .referralExclusions:
            var hosts: [String] = []
            for item in try list(text) {
                let host = item.lowercased()
                guard host.contains("."), host.count <= 253,
                      host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
                    throw invalid(item, expected: "host names such as pay.example.com, comma-separated")
                }
                if !hosts.contains(host) { hosts.append(host) }
            }
            site.tracker.referralExclusions = hosts
        case .shieldIPs:
            let ranges = try list(text)
            if let bad = ranges.first(where: { !Shields.isAddressOrNetwork($0) }) {
                throw invalid(bad, expected: "IPv4/IPv6 addresses or CIDR networks, comma-separated")
            }
            site.shields.ipRanges = ranges
        case .shieldASNs:
            site.shields.asns = try list(text).map { item throws(SiteConfigError) in
                let digits = item.uppercased().hasPrefix("AS") ? String(item.dropFirst(2)) : item
                guard let asn = Int(digits), (1...4_294_967_295).contains(asn) else {
                    throw invalid(item, expected: "AS numbers such as AS15169 or 15169, comma-separated")
                }
                return asn
            }
        case .shieldCountries:
            site.shields.countries = try list(text).map { item throws(SiteConfigError) in
                guard item.count == 2, item.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                    throw invalid(item, expected: "two-letter ISO country codes such as DE, comma-separated")
                }
                return item.uppercased()
            }
        case .shieldPaths:
            site.shields.paths = try list(text).map { item throws(SiteConfigError) in
                guard let pattern = PathPattern(item) else {
                    throw invalid(item, expected: "paths starting with / or *, without spaces, control characters, commas, ;, ? or #")
                }
                return pattern
            }
        case .shieldHosts:
            let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
            site.shields.hosts = try list(text).map { item throws(SiteConfigError) in
                let host = item.lowercased()
                let name = host.hasPrefix("*.") ? host.dropFirst(2) : Substring(host)
                guard !name.isEmpty, name.count <= 253, name.allSatisfy(allowed.contains) else {
                    throw invalid(item, expected: "hostnames such as staging.acme.com or *.acme.com, comma-separated")
                }
                return host
            }
        }
    }

    /// Applies `key=value` assignments in order; all or nothing.
    /// - Throws: ``SiteConfigError`` for the first malformed assignment, unknown key or bad value.
    public static func apply(_ assignments: [String], to site: Site) throws(SiteConfigError) -> Site {
        var updated = site
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else { throw .malformedAssignment(assignment) }
            let name = assignment[..<equals].trimmingCharacters(in: .whitespaces)
            guard let key = SiteConfigKey(rawValue: name) else { throw .unknownKey(name) }
            try key.set(assignment[assignment.index(after: equals)...].trimmingCharacters(in: .whitespaces), on: &updated)
        }
        return updated
    }

    func list(_ text: String) throws(SiteConfigError) -> [String] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard items.count <= Self.maxListCount else { throw invalid(text, expected: "at most \(Self.maxListCount) items") }
        return items
    }

    func bool(_ text: String) throws(SiteConfigError) -> Bool {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: throw invalid(text, expected: "true or false")
        }
    }

    func invalid(_ value: String, expected: String) -> SiteConfigError {
        .invalidValue(key: rawValue, value: value, expected: expected)
    }
}

/// Why a `footfall site config --set` assignment was refused.
public enum SiteConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedAssignment(String)
    case unknownKey(String)
    case invalidValue(key: String, value: String, expected: String)

    public var description: String {
        switch self {
        case .malformedAssignment(let text): "expected key=value, got '\(text)'"
        case .unknownKey(let key):
            "unknown setting '\(key)'; settings: \(SiteConfigKey.allCases.map(\.rawValue).joined(separator: ", "))"
        case .invalidValue(let key, let value, let expected): "\(key): '\(value)' is invalid; expected \(expected)"
        }
    }
}
