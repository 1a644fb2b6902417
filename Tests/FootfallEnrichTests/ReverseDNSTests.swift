@testable import FootfallEnrich
import Foundation
import Synchronization
import Testing

@Suite struct ReverseDNSTests {
    static let suffixes = PublicSuffixList(contents: "com\nnet\nco.uk\n")

    @Test func answersAreCachedAndServeLaterBeacons() async throws {
        let calls = Atomic(0)
        let dns = ReverseDNS(suffixes: Self.suffixes) { _ in
            calls.add(1, ordering: .relaxed)
            return "gw.eng.acme.co.uk"
        }
        let address = IPAddress("192.0.2.1")!
        #expect(dns.cachedAnswer(for: address) == nil)  // the first beacon starts the lookup
        #expect(await dns.resolve(address) == .found(.init(hostname: "gw.eng.acme.co.uk", domain: "acme.co.uk")))
        #expect(dns.cachedAnswer(for: address) == .init(hostname: "gw.eng.acme.co.uk", domain: "acme.co.uk"))
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    @Test func aSlowResolverTimesOutAndNeverBlocksIngest() async throws {
        let answered = Atomic(false)
        let dns = ReverseDNS(timeout: .milliseconds(100), suffixes: Self.suffixes) { _ in
            Thread.sleep(forTimeInterval: 3)
            answered.store(true, ordering: .sequentiallyConsistent)
            return "late.acme.com"
        }
        let address = IPAddress("198.51.100.1")!
        let start = ContinuousClock.now
        #expect(dns.cachedAnswer(for: address) == nil)
        #expect(ContinuousClock.now - start < .seconds(1))
        // The waiting lookup gives up at its deadline, long before the resolver answers.
        #expect(await dns.resolve(address) == .timedOut)
        let answeredBeforeTimeout = answered.load(ordering: .sequentiallyConsistent)
        #expect(!answeredBeforeTimeout)
        // The late answer is not used: the address stays failed until the negative TTL ends.
        let deadline = ContinuousClock.now + .seconds(20)
        while !answered.load(ordering: .sequentiallyConsistent), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(dns.cachedAnswer(for: address) == nil)
        #expect(await dns.resolve(address) == .timedOut)
    }

    @Test func lookupsInFlightAreBounded() async throws {
        let running = Atomic(0)
        let peak = Atomic(0)
        let calls = Atomic(0)
        let dns = ReverseDNS(maxConcurrent: 2, suffixes: Self.suffixes) { _ in
            calls.add(1, ordering: .relaxed)
            let now = running.add(1, ordering: .relaxed).newValue
            _ = peak.max(now, ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.2)
            running.subtract(1, ordering: .relaxed)
            return nil
        }
        for last in 1...20 { _ = dns.cachedAnswer(for: IPAddress(ipv4: 0xC000_0200 + UInt32(last))) }
        try await Task.sleep(for: .milliseconds(500))
        // Two slots: two lookups started, the other 18 misses were dropped (not queued)
        // and will be retried by later beacons.
        #expect(peak.load(ordering: .relaxed) <= 2)
        #expect(calls.load(ordering: .relaxed) == 2)
    }

    @Test func theSystemResolverReadsHostsFile() async {
        let dns = ReverseDNS(suffixes: Self.suffixes)
        guard case .found(let answer) = await dns.resolve(IPAddress("127.0.0.1")!) else {
            Issue.record("127.0.0.1 has no PTR name in /etc/hosts")
            return
        }
        #expect(answer.hostname == "localhost")
        #expect(answer.domain == "")
    }
}
