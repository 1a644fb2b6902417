import Crypto
import FootfallCore

/// Whose data a GDPR access (art. 15), portability (art. 20) or erasure (art. 17) request
/// is about, within one site.
///
/// The subject is every visitor the selector matches: a visitor id, every visitor of an
/// organisation (its domain), or every visitor whose stored network falls in an IP range.
/// Their events and visits are found by selector first, then by the visitor ids found.
public struct DataSubject: Sendable {
    /// How the subject is selected.
    public enum Selector: Sendable {
        case visitor(VisitorID)
        /// The organisation's domain (`acme.com`), as stored on events and visits.
        case organisation(domain: String)
        /// `description` names the range (`203.0.113.0/24`); `matches` is true for a stored
        /// IP form (`truncate`'s network, ``IPPolicy``) that overlaps it.
        case storedIP(description: String, matches: @Sendable (String) -> Bool)
    }

    public var siteID: Int64
    public var selector: Selector

    public init(siteID: Int64, selector: Selector) {
        self.siteID = siteID
        self.selector = selector
    }

    /// The selector kind and, for the personal ones, a SHA-256 prefix of its value: what
    /// the audit log keeps, so the log itself holds no visitor id or address.
    public var auditDescription: String {
        switch selector {
        case .visitor(let id): "visitor sha256:\(Self.digest(String(id)))"
        case .organisation(let domain): "organisation \(domain)"
        case .storedIP(let description, _): "ip-range sha256:\(Self.digest(description))"
        }
    }

    static func digest(_ text: String) -> String { SHA256.hash(data: Array(text.utf8)).prefix(8).hexEncoded }

    /// Whether an event or visit with these fields is selected directly.
    func selects(visitorID: VisitorID, orgDomain: String, storedIP: String?) -> Bool {
        switch selector {
        case .visitor(let id): visitorID == id
        case .organisation(let domain): !domain.isEmpty && orgDomain == domain
        case .storedIP(_, let matches): storedIP.map { !$0.isEmpty && matches($0) } ?? false
        }
    }
}
