import Foundation
import FootfallCore
import Testing

/// Lead-scoring settings through `footfall site config --set`, and account lists.
@Suite struct LeadSettingsTests {
    static let site = Site(id: 1, tenantID: 1, key: "s_test", name: "Acme", domains: ["acme.com"])

    @Test func leadSettingsRoundTripThroughTheirTextForm() throws {
        let site = try SiteConfigKey.apply([
            "lead_key_pages=/pricing*:30, /contact*:25,/careers*:-20", "lead_half_life_days=7",
            "lead_weights=visit=4,tier_1=20",
        ], to: Self.site)
        #expect(site.leads.keyPages.map(\.text) == ["/pricing*:30", "/contact*:25", "/careers*:-20"])
        #expect(site.leads.halfLifeDays == 7)
        #expect(site.leads.weights.visit == 4 && site.leads.weights.tier1 == 20 && site.leads.weights.pageview == 1)
        #expect(SiteConfigKey.leadKeyPages.value(in: site) == "/pricing*:30,/contact*:25,/careers*:-20")
        let again = try SiteConfigKey.apply(["lead_weights=\(SiteConfigKey.leadWeights.value(in: site))"], to: Self.site)
        #expect(again.leads.weights == site.leads.weights)
        #expect(try SiteConfigKey.apply(["lead_key_pages="], to: Self.site).leads.keyPages.isEmpty)
        let tuned = try SiteConfigKey.apply(["lead_weights=visit=5,tier_1=20"], to: Self.site)
        #expect(try SiteConfigKey.apply(["lead_weights=visit_cap=20"], to: tuned).leads.weights.tier1 == 20)
        #expect(try SiteConfigKey.apply(["lead_weights=default"], to: tuned).leads.weights == LeadWeights())
    }

    @Test(arguments: [
        ("lead_key_pages", "/pricing*"), ("lead_key_pages", "pricing:10"), ("lead_key_pages", "/pricing*:101"),
        ("lead_key_pages", "/pricing*:15,/pricing*:15"), ("lead_key_pages", "/a:5;/b:6"), ("lead_key_pages", "/a\u{1}:5"),
        ("lead_key_pages", ",/x:1"), ("lead_key_pages", "/a:1,,/b:2"),
        ("lead_half_life_days", "0"), ("lead_half_life_days", "1.5"), ("lead_weights", "visits=3"),
        ("lead_weights", "visit=-1"), ("lead_weights", "visit"), ("lead_weights", ""), ("lead_weights", "visit=4,visit=5"),
    ])
    func badLeadSettingsAreRefusedNamingTheKey(key: String, value: String) {
        #expect(throws: SiteConfigError.self) { try SiteConfigKey.apply(["\(key)=\(value)"], to: Self.site) }
        do {
            _ = try SiteConfigKey.apply(["\(key)=\(value)"], to: Self.site)
        } catch {
            #expect(error.description.hasPrefix("\(key): '\(value)' is invalid"))
        }
    }

    @Test func accountListsParseWithQuotesAndAnyColumnOrder() throws {
        let accounts = try AccountList.parse("""
            name,domain,tier,employees,industry,owner
            "Acme, Inc.",ACME.example,1,1200,Manufacturing,ana@seller.example
            Globex,globex.example,,,"Energy ""&"" Utilities",

            """)
        #expect(accounts == [
            Account(domain: "acme.example", name: "Acme, Inc.", industry: "Manufacturing", employees: 1200, owner: "ana@seller.example", tier: "1"),
            Account(domain: "globex.example", name: "Globex", industry: "Energy \"&\" Utilities"),
        ])
    }

    @Test func spreadsheetByteOrderMarksAreReadAndOtherEncodingsRefused() throws {
        let bom = Data([0xEF, 0xBB, 0xBF]) + Data("domain,name\nacme.example,Acme\n".utf8)
        #expect(try AccountList.parse(bom) == [Account(domain: "acme.example", name: "Acme")])
        let latin1 = Data("domain,name\nacme.example,Acme\nmuller.example,M".utf8) + Data([0xFC]) + Data("ller\n".utf8)
        do {
            _ = try AccountList.parse(latin1)
            Issue.record("accepted Latin-1")
        } catch {
            #expect(error.description == "line 3: not UTF-8 text (save the file as CSV UTF-8)")
        }
    }

    @Test(arguments: [
        ("", "line 1: empty file; expected a header line"),
        ("domain,name,size\n", "line 1: unknown column 'size'; columns: domain,name,industry,employees,owner,tier"),
        ("domain,name,domain\nx.com,X,y.com\n", "line 1: column 'domain' appears twice"),
        ("name,tier\n", "line 1: missing column 'domain'"),
        ("domain,name\na.example,A\nb.example\n", "line 3: expected 2 fields, found 1"),
        ("domain,name\na.example,A\nnot a domain,B\n", "line 3: invalid domain 'not a domain'"),
        ("domain,name\na.example,A\nA.example,B\n", "line 3: duplicate domain 'a.example' (first on line 2)"),
        ("domain,name,employees\na.example,A,many\n", "line 2: employees must be a whole number ≥ 0, got 'many'"),
        ("domain,name,tier\na.example,A,gold\n", "line 2: tier must be 1, 2, 3 or empty, got 'gold'"),
        ("domain,name\na.example,\"A\n", "line 2: unterminated quoted field"),
        ("domain,name\na.example,\n", "line 2: name must be 1–200 characters"),
        ("domain,name\na.example,A\u{0}B\n", "line 2: contains a NUL character"),
    ])
    func badAccountListsNameTheLine(text: String, message: String) {
        do {
            _ = try AccountList.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == message)
        }
    }
}
