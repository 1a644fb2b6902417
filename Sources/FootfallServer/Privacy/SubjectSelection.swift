import FootfallEnrich
import FootfallStore

/// The one way a data-subject request names its subject, shared by `footfall erase` /
/// `footfall export-subject` and `/api/v1/privacy/subjects`: exactly one of a visitor id, an
/// organisation domain or an IP range.
public enum SubjectSelection {
    /// Why a selection was refused; callers name the options in their own spelling.
    public enum Problem: Error, Equatable {
        /// None or more than one of visitor, organisation, IP range was given.
        case notExactlyOne
        case emptyOrganisation
        /// The text is not an address, a CIDR block or a `first-last` range.
        case badIPRange(String)
    }

    /// The selector for the one given value.
    /// - Parameters:
    ///   - visitor: a visitor id as the Lead API and exports show it.
    ///   - organisation: a domain such as `acme.com` (case-insensitive).
    ///   - ipRange: an address, CIDR (`203.0.113.0/24`) or `first-last`; it matches stored
    ///     whole addresses inside it and stored `truncate` networks (/24, /48) overlapping it.
    /// - Throws: ``Problem``.
    public static func selector(visitor: Int64?, organisation: String?, ipRange: String?) throws(Problem) -> DataSubject.Selector {
        guard [visitor != nil, organisation != nil, ipRange != nil].count(where: { $0 }) == 1 else { throw .notExactlyOne }
        if let visitor { return .visitor(visitor) }
        if let organisation {
            guard !organisation.isEmpty else { throw .emptyOrganisation }
            return .organisation(domain: organisation.lowercased())
        }
        guard let text = ipRange, let range = IPRange(text) else { throw .badIPRange(ipRange ?? "") }
        return .storedIP(description: range.description) { stored in
            guard let address = IPAddress(stored) else { return false }
            let network = IPRange(network: address, prefixLength: address.isIPv4 ? 24 : 48)
            return range.contains(address) || network?.contains(range.first) == true
        }
    }
}
