import FootfallEnrich
import Testing

@Suite struct TrustedProxiesTests {
    static let proxies = try! TrustedProxies(parsing: ["127.0.0.1", "10.0.0.0/8", "2001:db8:ff::/48"])

    @Test(arguments: [
        // Untrusted peers: headers ignored.
        ("198.51.100.1", [], ["203.0.113.9"], "198.51.100.1"),
        // Trusted peer, no header: the peer.
        ("127.0.0.1", [], [], "127.0.0.1"),
        // X-Forwarded-For: the rightmost untrusted hop.
        ("127.0.0.1", [], ["203.0.113.9"], "203.0.113.9"),
        ("127.0.0.1", [], ["192.0.2.66, 203.0.113.9, 10.1.1.1"], "203.0.113.9"),
        ("127.0.0.1", [], ["192.0.2.66", "203.0.113.9"], "203.0.113.9"),
        ("127.0.0.1", [], ["10.0.0.5, 10.0.0.6"], "10.0.0.5"),
        ("127.0.0.1", [], [" 2001:db8::7 "], "2001:db8::7"),
        ("127.0.0.1", [], ["203.0.113.9:5123"], "203.0.113.9"),
        ("2001:db8:ff::1", [], ["[2001:db8::7]:443"], "2001:db8::7"),
        // Forwarded (RFC 7239) wins over X-Forwarded-For.
        ("127.0.0.1", ["for=192.0.2.60;proto=http;by=203.0.113.43"], ["198.51.100.1"], "192.0.2.60"),
        ("127.0.0.1", ["for=\"[2001:db8:cafe::17]:4711\""], [], "2001:db8:cafe::17"),
        ("127.0.0.1", ["for=192.0.2.43, for=198.51.100.17"], [], "198.51.100.17"),
        ("127.0.0.1", ["proto=https; For=\"192.0.2.8:8080\""], [], "192.0.2.8"),
    ] as [(String, [String], [String], String)])
    func findsTheVisitor(peer: String, forwarded: [String], forwardedFor: [String], expected: String) {
        let address = Self.proxies.clientAddress(peer: IPAddress(peer), forwarded: forwarded, forwardedFor: forwardedFor)
        #expect(address == IPAddress(expected))
    }

    @Test(arguments: [
        ([], ["not-an-ip"]), ([], ["203.0.113.9, garbage"]), ([], [""]), ([], ["300.1.1.1"]),
        (["for=unknown"], []), (["for=_hidden"], []), (["proto=http"], []), (["for=\"[2001:db8::1\""], []),
    ] as [([String], [String])])
    func badHeaderValuesGiveUnknown(forwarded: [String], forwardedFor: [String]) {
        #expect(Self.proxies.clientAddress(peer: IPAddress("127.0.0.1"), forwarded: forwarded, forwardedFor: forwardedFor) == nil)
    }

    @Test func invalidProxySettingsAreRefused() {
        #expect(throws: InvalidTrustedProxy.self) { try TrustedProxies(parsing: ["10.0.0.0/40"]) }
    }
}
