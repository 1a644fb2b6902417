#!/usr/bin/env python3
"""Builds the small IP-intelligence fixture databases in Fixtures/ipintel/.

Run from the repository root: `python3 scripts/build-ip-fixtures.py` (needs PyPI
`mmdb-writer`, which brings `netaddr`). The outputs are committed, so tests and the demo
need neither this script nor the network. Provenance is written to Fixtures/ipintel/README.md.

Data: documentation address blocks (RFC 5737 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24;
RFC 3849 2001:db8::/32) with documentation AS numbers (RFC 5398, 64496-64511) for the
fictional organisations, plus a handful of well-known public networks (Google 8.8.8.0/24,
Cloudflare 1.1.1.0/24, Apple 17.0.0.0/8, ...) whose AS numbers and names are public
registry facts. Not a geolocation or ownership authority: just real-shaped.
"""
import os

from mmdb_writer import MMDBWriter, MmdbU32
from netaddr import IPSet

OUT = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "ipintel")

# network, ASN, AS organisation, country
ASN = [
    ("1.1.1.0/24", 13335, "CLOUDFLARENET", "US"),
    ("8.8.8.0/24", 15169, "GOOGLE", "US"),
    ("3.5.140.0/22", 16509, "AMAZON-02", "US"),
    ("17.0.0.0/8", 714, "APPLE-ENGINEERING", "US"),
    ("73.0.0.0/8", 7922, "COMCAST-7922", "US"),
    ("172.32.0.0/11", 21928, "T-MOBILE-AS21928", "US"),
    ("171.64.0.0/14", 32, "STANFORD", "US"),
    ("192.0.2.0/25", 64500, "Example Industries GmbH", "DE"),
    ("198.51.100.0/24", 64501, "Example University", "GB"),
    ("203.0.113.0/24", 64502, "Example Telecom Broadband", "FR"),
    ("2001:4860::/32", 15169, "GOOGLE", "US"),
    ("2606:4700::/32", 13335, "CLOUDFLARENET", "US"),
    ("2001:db8::/32", 64503, "Example Cloud Hosting B.V.", "NL"),
]

# network, country, region, city
CITY = [
    ("8.8.8.0/24", "US", "California", "Mountain View"),
    ("17.0.0.0/8", "US", "California", "Cupertino"),
    ("192.0.2.0/24", "DE", "Bavaria", "Munich"),
    ("198.51.100.0/24", "GB", "England", "Oxford"),
    ("203.0.113.0/24", "FR", "Île-de-France", "Paris"),
    ("2001:db8::/32", "NL", "North Holland", "Amsterdam"),
]

# iptoasn.com ip2asn-combined shape: start, end, AS number, country, AS description
# (tab-separated; "0 None Not routed" rows mark unannounced space).
CSV = [
    ("0.0.0.0", "0.255.255.255", 0, "None", "Not routed"),
    ("1.1.1.0", "1.1.1.255", 13335, "US", "CLOUDFLARENET"),
    ("8.8.8.0", "8.8.8.255", 15169, "US", "GOOGLE"),
    ("128.112.0.0", "128.112.255.255", 88, "US", "PRINCETON-AS"),
    ("192.0.2.0", "192.0.2.127", 64500, "DE", "Example Industries GmbH"),
    ("192.0.2.128", "192.0.2.255", 64504, "DE", "Example Federal Ministry of Finance"),
    ("198.51.100.0", "198.51.100.255", 64501, "GB", "Example University"),
    ("203.0.113.0", "203.0.113.255", 64502, "FR", "Example Telecom Broadband"),
    ("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 64503, "NL", "Example Cloud Hosting B.V."),
    ("2606:4700::", "2606:4700:ffff:ffff:ffff:ffff:ffff:ffff", 13335, "US", "CLOUDFLARENET"),
]

# A tenant's own ranges: nested networks, the most specific wins.
CUSTOM_ACME = """# range,organisation,domain,network_type,country
# Acme's offices (documentation ranges); the /25 and the single address nest in the /24.
203.0.113.0/24,Acme Corp,acme.com,business,US
203.0.113.128/25,Acme Research,acme.com,business,GB
203.0.113.200,Acme Guest Wi-Fi,acme.com,isp,GB
2001:db8:ac::/48,Acme Corp,acme.com,business,US
"""

# The demo's visitors arrive from loopback; this tenant range names them so the demo
# shows an organisation.
CUSTOM_DEMO = """# range,organisation,domain,network_type,country
127.0.0.0/8,Example Demo Visitors Ltd,example.com,business,GB
::1,Example Demo Visitors Ltd,example.com,business,GB
"""


def write_asn(path):
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="Footfall-Fixture-ASN",
                        languages=["en"], description={"en": "Footfall fixture in GeoLite2-ASN shape"})
    for network, asn, organisation, _ in ASN:
        writer.insert_network(IPSet([network]), {
            "autonomous_system_number": MmdbU32(asn), "autonomous_system_organization": organisation})
    writer.to_db_file(path)


def write_city(path):
    writer = MMDBWriter(ip_version=6, ipv4_compatible=True, database_type="Footfall-Fixture-City",
                        languages=["en"], description={"en": "Footfall fixture in GeoLite2-City shape"})
    for network, country, region, city in CITY:
        writer.insert_network(IPSet([network]), {
            "country": {"iso_code": country, "names": {"en": country}},
            "subdivisions": [{"names": {"en": region}}],
            "city": {"names": {"en": city}},
        })
    writer.to_db_file(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    asn = os.path.join(OUT, "asn.mmdb")
    write_asn(asn)
    write_city(os.path.join(OUT, "city.mmdb"))
    with open(os.path.join(OUT, "ip2asn.csv"), "w") as out:
        out.write("".join("\t".join(map(str, row)) + "\n" for row in CSV))
    with open(os.path.join(OUT, "custom-acme.csv"), "w") as out:
        out.write(CUSTOM_ACME)
    with open(os.path.join(OUT, "custom-demo.csv"), "w") as out:
        out.write(CUSTOM_DEMO)

    # Broken files for the "corrupt input is refused, old data stays" tests.
    data = open(asn, "rb").read()
    bad = os.path.join(OUT, "broken")
    os.makedirs(bad, exist_ok=True)
    open(os.path.join(bad, "truncated.mmdb"), "wb").write(data[: len(data) // 2])
    corrupt = bytearray(data)
    # Overwrite the search tree with node pointers past the end of the tree.
    for offset in range(0, 48):
        corrupt[offset] = 0xFF
    open(os.path.join(bad, "corrupt-tree.mmdb"), "wb").write(bytes(corrupt))
    rows = "".join("\t".join(map(str, row)) + "\n" for row in CSV)
    open(os.path.join(bad, "truncated.csv"), "w").write(rows[: rows.index("Example University") + 7])
    open(os.path.join(bad, "bad-address.csv"), "w").write(rows.replace("198.51.100.0", "198.51.100.300"))
    open(os.path.join(bad, "overlap-custom.csv"), "w").write(
        "203.0.113.0/25,Acme Corp,acme.com\n203.0.113.64-203.0.113.200,Other Corp,other.com\n")


if __name__ == "__main__":
    main()
