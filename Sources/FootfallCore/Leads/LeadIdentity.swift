import Crypto

/// Which organisation a visit belongs to on a site, and the lead id that follows from it.
///
/// An organisation is its registrable domain when the IP data named one, else its name and
/// ASN; only business, education and government networks become leads.
public struct LeadIdentity: Sendable, Hashable {
    public var siteID: Int64
    /// `domain:<domain>` or `org:<name>|<asn>`.
    public var organisationKey: String

    public init(siteID: Int64, organisationKey: String) {
        self.siteID = siteID
        self.organisationKey = organisationKey
    }

    /// The lead a visit counts towards, or nil when its network never becomes a lead
    /// (ISP, mobile carrier, hosting, unknown) or names no organisation.
    public init?(visit: Visit) {
        let network = visit.network
        guard network.networkType.becomesLead else { return nil }
        if !network.domain.isEmpty {
            organisationKey = "domain:" + network.domain.lowercased()
        } else if !network.organisation.isEmpty {
            organisationKey = "org:\(network.organisation)|\(network.asn)"
        } else {
            return nil
        }
        siteID = visit.siteID
    }

    /// The organisation's registrable domain, empty when it is identified by name and ASN.
    public var domain: String {
        organisationKey.hasPrefix("domain:") ? String(organisationKey.dropFirst("domain:".count)) : ""
    }

    /// Stable opaque id: `ld_` + the first 16 hex digits of SHA-256(site id, organisation key).
    public var leadID: String {
        var hasher = SHA256()
        hasher.update(data: Array("\(siteID)\u{0}\(organisationKey)".utf8))
        return "ld_" + String(Array(hasher.finalize()).hexEncoded.prefix(16))
    }
}
