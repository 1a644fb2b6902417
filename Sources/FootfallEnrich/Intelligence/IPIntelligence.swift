import Dispatch
import FootfallCore
import Synchronization

/// What the layers said about one address, and the merged answer.
public struct IPLookup: Sendable, Equatable {
    /// One layer's answer; `record` is nil when the layer does not know the address.
    public struct Layer: Sendable, Equatable {
        /// `custom`, `mmdb:NAME`, `csv:NAME` or `rdns`.
        public var source: String
        public var record: NetworkRecord?
    }

    public var layers: [Layer] = []
    /// The PTR host name when reverse DNS answered.
    public var hostname = ""
    /// Each field from the most specific layer that knows it.
    public var record = NetworkRecord()
    public var networkType = NetworkType.unknown
    /// The layer that named the organisation (``LeadMatchSource/unknown`` when none did).
    public var matchSource = LeadMatchSource.unknown

    /// The event's network fields (``NetworkInfo/storedIP`` is left to the IP policy).
    public var network: NetworkInfo {
        NetworkInfo(
            organisation: record.organisation, domain: record.domain, asn: record.asn, networkType: networkType,
            country: record.country, storedIP: "", region: record.region, city: record.city, matchSource: matchSource)
    }

    public static let unknown = IPLookup()
}

/// IP → organisation, domain, ASN, network type and country, from layered sources, most
/// specific first: the tenant's custom ranges, MaxMind DB files, iptoasn/RIR range files,
/// then (optionally) reverse DNS.
///
/// Data is held in an immutable ``IPDataSnapshot``; ``reloadIfChanged()`` loads a complete
/// new snapshot when `footfall import-ip-data` installed something and only then swaps the
/// reference, so lookups continue on the old data until the new data is ready.
public final class IPIntelligence: Sendable {
    public let directory: IPDataDirectory?
    public let reverseDNS: ReverseDNS?
    let classifier = NetworkClassifier()
    private let current: Mutex<IPDataSnapshot>

    /// Loads the sources installed in `directory`.
    /// - Parameters:
    ///   - directory: the `ipdata` directory; nil for a fixed snapshot.
    ///   - snapshot: the data when there is no directory (tests, tools).
    ///   - reverseDNS: the PTR layer, or nil to leave reverse DNS off.
    public init(directory: IPDataDirectory?, snapshot: IPDataSnapshot? = nil, reverseDNS: ReverseDNS? = nil) {
        self.directory = directory
        self.reverseDNS = reverseDNS
        current = Mutex(snapshot ?? directory.map(IPDataSnapshot.load) ?? .empty)
    }

    /// The snapshot lookups use now.
    public var snapshot: IPDataSnapshot { current.withLock { $0 } }

    /// Loads and swaps in a new snapshot when the directory's generation changed.
    /// Blocking (it parses files): call it off the event loops.
    /// - Returns: the new snapshot, or nil when nothing changed.
    @discardableResult
    public func reloadIfChanged() -> IPDataSnapshot? {
        guard let directory, directory.generation() != snapshot.generation else { return nil }
        let loaded = IPDataSnapshot.load(directory)
        current.withLock { $0 = loaded }
        return loaded
    }

    /// Looks `address` up in every layer without waiting: reverse DNS contributes only
    /// an answer already cached (a miss starts a background lookup for later beacons).
    /// - Parameters:
    ///   - address: the visitor address; nil gives ``IPLookup/unknown``.
    ///   - tenantID: whose custom ranges apply.
    public func lookup(_ address: IPAddress?, tenantID: Int64?) -> IPLookup {
        guard let address else { return .unknown }
        return merge(layers(address, tenantID: tenantID), hostname: reverseDNS?.cachedAnswer(for: address))
    }

    /// Like ``lookup(_:tenantID:)`` but waits for reverse DNS (up to its timeout); for
    /// `footfall lookup-ip`.
    public func explain(_ address: IPAddress, tenantID: Int64?) async -> (IPLookup, ReverseDNS.Outcome?) {
        let outcome = await reverseDNS?.resolve(address)
        var answer: ReverseDNS.Answer?
        if case .found(let found) = outcome { answer = found }
        return (merge(layers(address, tenantID: tenantID), hostname: answer), outcome)
    }

    func layers(_ address: IPAddress, tenantID: Int64?) -> [IPLookup.Layer] {
        let data = snapshot
        var layers: [IPLookup.Layer] = []
        if let tenantID, let custom = data.customRanges[tenantID] {
            layers.append(.init(source: "custom", record: custom.lookup(address)))
        }
        for database in data.databases {
            layers.append(.init(source: "mmdb:\(database.name)", record: database.data.lookup(address)))
        }
        for file in data.rangeFiles {
            layers.append(.init(source: "csv:\(file.name)", record: file.data.lookup(address)))
        }
        return layers
    }

    func merge(_ layers: [IPLookup.Layer], hostname: ReverseDNS.Answer?) -> IPLookup {
        var result = IPLookup(layers: layers)
        var merged = NetworkRecord()
        for layer in layers {
            guard let record = layer.record else { continue }
            if merged.organisation.isEmpty {
                merged.organisation = record.organisation
                if !record.organisation.isEmpty { result.matchSource = Self.matchSource(layer.source) }
                // A domain belongs with the organisation it came with.
                if merged.domain.isEmpty { merged.domain = record.domain }
            }
            if merged.asn == 0 { merged.asn = record.asn }
            // Country, region and city come together from one layer, so a tenant's
            // "GB" office is never paired with another source's city.
            if merged.country.isEmpty, !record.country.isEmpty {
                (merged.country, merged.region, merged.city) = (record.country, record.region, record.city)
            }
            if merged.networkType == nil { merged.networkType = record.networkType }
        }
        if let hostname {
            result.hostname = hostname.hostname
            result.layers.append(.init(source: "rdns", record: NetworkRecord(domain: hostname.domain)))
            if merged.domain.isEmpty { merged.domain = hostname.domain }
            if merged.organisation.isEmpty {
                merged.organisation = hostname.domain
                result.matchSource = .reverseDNS
            }
        }
        result.record = merged
        result.networkType = classifier.classify(merged, hostname: result.hostname)
        return result
    }

    /// The lead match source of a layer name (`custom`, `mmdb:NAME`, `csv:NAME`, `rdns`).
    static func matchSource(_ layer: String) -> LeadMatchSource {
        if layer == "custom" { return .customRange }
        if layer.hasPrefix("mmdb:") { return .mmdb }
        if layer.hasPrefix("csv:") { return .rangeFile }
        return layer == "rdns" ? .reverseDNS : .unknown
    }
}
