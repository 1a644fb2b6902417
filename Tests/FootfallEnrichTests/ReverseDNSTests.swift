import Dispatch
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

    /// The resolver hangs until the test releases it, so the lookup can only end through
    /// its deadline: no wall-clock race with whatever else the machine is running.
    @Test(.timeLimit(.minutes(1)))
    func aHangingResolverTimesOutAndNeverBlocksIngest() async throws {
        let gate = DispatchSemaphore(value: 0)
        let answered = Atomic(false)
        let dns = ReverseDNS(timeout: .milliseconds(100), suffixes: Self.suffixes) { _ in
            gate.wait()
            answered.store(true, ordering: .sequentiallyConsistent)
            return "late.acme.com"
        }
        let address = IPAddress("198.51.100.1")!
        #expect(dns.cachedAnswer(for: address) == nil)  // returns at once although the resolver hangs
        #expect(await dns.resolve(address) == .timedOut)
        // Released now, the resolver answers late; the late answer is not used: the
        // address stays failed until the negative TTL ends.
        gate.signal()
        while !answered.load(ordering: .sequentiallyConsistent) { try await Task.sleep(for: .milliseconds(20)) }
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
        let deadline = ContinuousClock.now + .seconds(10)
        while calls.load(ordering: .relaxed) < 2, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(300))
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
