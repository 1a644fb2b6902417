import FootfallCore

/// Autonomous systems whose kind of network is known, curated from the operators' own
/// registry entries. Names alone mislead for these (a cloud's ASN is named after a
/// company, a mobile carrier's after its parent), so the list is consulted first.
/// `Fixtures/ipintel/classification.tsv` tests them with the name and rDNS rules.
enum CuratedNetworks {
    static let byASN: [Int: NetworkType] = {
        var table: [Int: NetworkType] = [:]
        for asn in hosting { table[asn] = .hosting }
        for asn in mobile { table[asn] = .mobile }
        for asn in isp { table[asn] = .isp }
        for asn in education { table[asn] = .education }
        for asn in government { table[asn] = .government }
        for asn in business { table[asn] = .business }
        return table
    }()

    /// Clouds, CDNs and hosting providers: the traffic bot detection treats as automated.
    static let hosting = [
        16509, 14618, 8987,   // Amazon (AMAZON-02, AMAZON-AES, AWS EU)
        15169, 396982, 19527, // Google, Google Cloud
        8075, 8068,           // Microsoft
        13335, 209242,        // Cloudflare
        14061,                // DigitalOcean
        16276,                // OVH
        24940,                // Hetzner
        63949,                // Akamai Connected Cloud (Linode)
        20940, 16625,         // Akamai
        20473,                // Vultr (Choopa)
        54113,                // Fastly
        45102,                // Alibaba Cloud
        132203,               // Tencent Cloud
        31898,                // Oracle Cloud
        36351,                // IBM Cloud (SoftLayer)
        8560,                 // IONOS
        12876,                // Scaleway
        51167,                // Contabo
        9009,                 // M247
        60781, 28753,         // LeaseWeb
    ]
    static let mobile = [
        21928,                // T-Mobile USA
        22394, 6167,          // Verizon Wireless (Cellco Partnership)
        20057,                // AT&T Mobility
        9808,                 // China Mobile
    ]
    static let isp = [
        7922,                 // Comcast
        7018,                 // AT&T
        701,                  // Verizon
        20115,                // Charter (Spectrum)
        22773,                // Cox
        3320,                 // Deutsche Telekom
        3215,                 // Orange France
        2856,                 // British Telecom
        5089,                 // Virgin Media
        3269,                 // Telecom Italia
        4134, 4837,           // China Telecom, China Unicom
    ]
    static let education = [
        3,                    // MIT
        32,                   // Stanford University
        25,                   // University of California, Berkeley
        88,                   // Princeton University
        786,                  // Jisc (JANET, UK research and education)
        11537,                // Internet2
        680,                  // DFN (German research network)
        2200,                 // RENATER
    ]
    static let government = [
        721,                  // US DoD Network Information Center
    ]
    static let business = [
        714, 6185,            // Apple
    ]
}
