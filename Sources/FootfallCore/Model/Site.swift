/// A tracked website, owned by a tenant.
public struct Site: Sendable, Equatable, Codable {
    public var id: Int64
    public var tenantID: Int64
    /// Public key embedded in the tag (`data-site`); not a secret.
    public var key: String
    public var name: String
    /// The site's own domains; referrers from them count as internal navigation.
    public var domains: [String]
    public var ipPolicy: IPPolicy
    /// Whether Do-Not-Track / Global Privacy Control requests are honoured (default yes).
    public var honourDoNotTrack: Bool
    /// Live tracker settings (excluded paths, sampling, first-party id, …).
    public var tracker: TrackerSettings
    /// Traffic the owner excludes (addresses, networks, countries, paths, hosts).
    public var shields: Shields
    /// Data-protection settings (stripped parameters, retention, geolocation grid).
    public var privacy: PrivacySettings
    /// Live lead-scoring settings (key pages, half-life, weights).
    public var leads: LeadSettings

    public init(
        id: Int64, tenantID: Int64, key: String, name: String, domains: [String],
        ipPolicy: IPPolicy = .truncate, honourDoNotTrack: Bool = true, tracker: TrackerSettings = .init(),
        privacy: PrivacySettings = .init(),
        leads: LeadSettings = .init(), shields: Shields = .init()
    ) {
        self.id = id
        self.tenantID = tenantID
        self.key = key
        self.name = name
        self.domains = domains
        self.ipPolicy = ipPolicy
        self.honourDoNotTrack = honourDoNotTrack
        self.tracker = tracker
        self.shields = shields
        self.privacy = privacy
        self.leads = leads
    }
}

/// How a site keeps visitor IP addresses after enrichment.
public enum IPPolicy: String, Codable, Sendable, CaseIterable {
    /// Enrich, then discard the address.
    case drop
    /// Keep the /24 (IPv4) or /48 (IPv6) network only.
    case truncate
    /// Keep a salted hash of the address.
    case hash
}

/// A customer account; every query is scoped to one tenant.
public struct Tenant: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}
