import FootfallCore

/// What one IP-data source says about an address; empty fields are unknown.
public struct NetworkRecord: Sendable, Hashable, Codable {
    public var organisation: String
    /// Registrable domain of the organisation (`acme.com`).
    public var domain: String
    public var asn: Int
    /// ISO 3166-1 alpha-2 code.
    public var country: String
    public var region: String
    public var city: String
    /// Set when the source states the kind of network (custom ranges, MMDB `user_type` /
    /// `connection_type`); otherwise the ``NetworkClassifier`` decides.
    public var networkType: NetworkType?

    public init(
        organisation: String = "", domain: String = "", asn: Int = 0, country: String = "",
        region: String = "", city: String = "", networkType: NetworkType? = nil
    ) {
        self.organisation = organisation
        self.domain = domain
        self.asn = asn
        self.country = country
        self.region = region
        self.city = city
        self.networkType = networkType
    }

    /// Whether the record says nothing at all.
    public var isEmpty: Bool { self == NetworkRecord() }
}
