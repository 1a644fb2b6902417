import Crypto
import FootfallCore

/// Applies a site's ``IPPolicy`` to a visitor address once enrichment has used it.
public enum IPPrivacy {
    /// The form of `ip` that may be stored under `policy`: empty for `drop`, the /24 or /48
    /// network for `truncate`, for `hash` an HMAC-SHA-256 keyed with the daily salt (first 16
    /// hex digits): without the key it cannot be recomputed, and the key rotates and is deleted daily.
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
            return HMAC<SHA256>.authenticationCode(for: ip.bytes, using: SymmetricKey(data: salt)).prefix(8).hexEncoded
        }
    }
}
