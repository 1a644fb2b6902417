import Crypto

/// An anonymous visitor id: a hash that cannot be reversed to an IP or a person.
public typealias VisitorID = Int64

/// A visitor id as text: 16 lowercase hex digits of its 64 bits, as the Lead API shows it.
public enum VisitorIDText {
    public static func text(_ id: VisitorID) -> String {
        let hex = String(UInt64(bitPattern: id), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Reads a visitor id as the Lead API shows it (exactly 16 hex digits, either case), or
    /// as a signed decimal integer (the `visitor_id` of `/api/v1/events`).
    /// - Returns: nil when `text` is neither.
    public static func parse(_ text: String) -> VisitorID? {
        if text.utf8.count == 16, let bits = UInt64(text, radix: 16) { return VisitorID(bitPattern: bits) }
        return VisitorID(text)
    }

    /// What ``parse(_:)`` accepts, for error messages.
    public static let expected = "a visitor id: the 16 hex digits the Lead API shows, or a decimal integer"
}

/// Derives cookieless visitor ids: `H(daily salt, site, IP, User-Agent)`.
///
/// Salts rotate daily and old ones are deleted, so the same person gets a new id every
/// day and a different id on every site.
public enum VisitorIdentity {
    /// The visitor id for one request.
    /// - Parameters:
    ///   - salt: today's secret salt.
    ///   - siteID: the site being visited.
    ///   - ip: the client IP address text, before truncation.
    ///   - userAgent: the User-Agent header value.
    public static func visitorID(salt: [UInt8], siteID: Int64, ip: String, userAgent: String) -> VisitorID {
        var hasher = SHA256()
        hasher.update(data: salt)
        withUnsafeBytes(of: siteID.littleEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(data: Array(ip.utf8))
        hasher.update(data: [0])
        hasher.update(data: Array(userAgent.utf8))
        return firstInt64(of: hasher.finalize())
    }

    /// The visitor id for a site that opted into a first-party id kept by the tracker.
    public static func visitorID(firstPartyID: String, siteID: Int64) -> VisitorID {
        var hasher = SHA256()
        withUnsafeBytes(of: siteID.littleEndian) { hasher.update(bufferPointer: $0) }
        hasher.update(data: Array(firstPartyID.utf8))
        return firstInt64(of: hasher.finalize())
    }

    static func firstInt64(of digest: SHA256.Digest) -> Int64 {
        digest.withUnsafeBytes { raw in
            var value: UInt64 = 0
            for index in 0..<8 { value = value << 8 | UInt64(raw[index]) }
            return Int64(bitPattern: value)
        }
    }
}
