import Crypto
import FootfallCore
import Foundation

/// The `Footfall-Signature` header of webhook deliveries (lead exports and alerts):
/// `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, in the manner of
/// Stripe's webhook signatures. Receivers recompute the HMAC over the raw body and reject
/// old timestamps to stop replays.
public enum WebhookSignature {
    /// The header's name.
    public static let header = "Footfall-Signature"

    /// The header value signing `body` at `timestamp` (seconds since the Unix epoch).
    public static func sign(body: Data, secret: String, timestamp: Int64) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=\(Array(mac).hexEncoded)"
    }
}
