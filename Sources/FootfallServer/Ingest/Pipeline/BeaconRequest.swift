import FootfallEnrich

/// What the server knows about a beacon request besides its body, whichever front end
/// received it.
struct BeaconRequest: Sendable {
    var clientIP: IPAddress?
    var userAgent: String
    /// `DNT: 1` or `Sec-GPC: 1` was sent.
    var optedOut: Bool
    /// Milliseconds since the epoch.
    var receivedAt: Int64
}
