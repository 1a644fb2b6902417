import FootfallCore
import FootfallEnrich
import Testing

@Suite struct IPPrivacyTests {
    @Test(arguments: [
        ("203.0.113.77", IPPolicy.truncate, "203.0.113.0"),
        ("2001:db8:abcd:12:1:2:3:4", .truncate, "2001:db8:abcd::"),
        ("::ffff:198.51.100.9", .truncate, "198.51.100.0"),
        ("203.0.113.77", .drop, ""),
    ])
    func storesOnlyWhatThePolicyAllows(ip: String, policy: IPPolicy, expected: String) {
        #expect(IPPrivacy.storedForm(of: IPAddress(ip), policy: policy, salt: [1, 2, 3]) == expected)
    }

    @Test func hashesDependOnTheSalt() {
        let ip = IPAddress("203.0.113.77")
        let first = IPPrivacy.storedForm(of: ip, policy: .hash, salt: [1])
        #expect(first.count == 16)
        #expect(first == IPPrivacy.storedForm(of: ip, policy: .hash, salt: [1]))
        #expect(first != IPPrivacy.storedForm(of: ip, policy: .hash, salt: [2]))
        #expect(!first.contains("203"))
    }

    @Test(arguments: ["", "300.1.1.1", "not-an-ip", "1.2.3", String(repeating: "1", count: 100)])
    func rejectsInvalidAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }
}
