import Crypto
import FootfallCore

/// Applies a site's ``IPPolicy`` to a visitor address once enrichment has used it.
public enum IPPrivacy {
    /// The form of `ip` that may be stored under `policy`: empty for `drop`, the /24 or /48
    /// network for `truncate`, a salted hash (first 16 hex digits) for `hash`.
    /// - Parameters:
    ///   - ip: the visitor address; nil when the request carried no usable address.
    ///   - policy: the site's policy.
    ///   - salt: the current daily salt (so hashes cannot be joined across days).
    public static func storedForm(of ip: IPAddress?, policy: IPPolicy, salt: [UInt8]) -> String {
        guard let ip else { return "" }
        switch policy {
        case .drop:
            return ""
        case .truncate:
            return ip.masked(prefixLength: ip.isIPv4 ? 24 : 48).description
        case .hash:
            var hasher = SHA256()
            hasher.update(data: salt)
            hasher.update(data: ip.bytes)
            return hasher.finalize().prefix(8).hexEncoded
        }
    }
}
