"""IP intelligence end to end: imported data → organisation on visits, trusted proxies,
hot reload while serving, and broken imports refused."""
import os
import subprocess
import time

import pytest
import requests

from conftest import BIN, CHROME_UA, Server, cli, pageview

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "Fixtures", "ipintel")


def fixture(name):
    return os.path.join(FIXTURES, name)


def visits_by_org(server, site, key):
    response = server.api("/api/v1/visits", key, site=site)
    assert response.status_code == 200, response.text
    return {v["organisation"]: v for v in response.json()["visits"]}


@pytest.fixture
def proxied_server(data_dir, site_and_key):
    cli(data_dir, "import-ip-data", fixture("asn.mmdb"))
    cli(data_dir, "import-ip-data", fixture("city.mmdb"))
    cli(data_dir, "import-ip-data", fixture("ip2asn.csv"), "--format", "csv")
    running = Server(data_dir, ["--trusted-proxy", "127.0.0.1"]).start()
    yield running
    running.stop()


def test_forwarded_visitors_carry_their_organisation(proxied_server, site_and_key):
    site, key = site_and_key
    server = proxied_server
    assert server.beacon(pageview(site, "/pricing"), headers={"X-Forwarded-For": "192.0.2.10"}).status_code == 202
    assert server.beacon(pageview(site, "/"), headers={"X-Forwarded-For": "198.51.100.7, 127.0.0.1"}).status_code == 202
    assert server.beacon(pageview(site, "/"), headers={"Forwarded": 'for="[2001:db8::5]:4711"'}).status_code == 202
    # A bad header value never fails the beacon: it is stored, enriched as unknown.
    assert server.beacon(pageview(site, "/"), headers={"X-Forwarded-For": "not-an-address"}).status_code == 202

    # The no-JavaScript pixel goes through the same proxy handling.
    pixel = requests.get(server.base + "/e.gif", params={"s": site, "u": "https://acme.test/nojs"},
                         headers={"User-Agent": CHROME_UA, "X-Forwarded-For": "8.8.8.8"}, timeout=5)
    assert pixel.status_code == 200

    orgs = visits_by_org(server, site, key)
    industries = orgs["Example Industries GmbH"]
    assert (industries["network_type"], industries["country"]) == ("business", "DE")
    assert (orgs["Example University"]["network_type"], orgs["Example University"]["country"]) == ("education", "GB")
    assert orgs[""]["network_type"] == "unknown"
    # Data-centre sources (Google's 8.8.8.8, Example Cloud Hosting) are bot traffic:
    # counted, never stored as visits.
    assert len(orgs) == 3, orgs
    metrics = requests.get(server.base + "/metrics", timeout=5).text
    assert 'footfall_events_dropped_total{reason="bot_datacenter"} 2' in metrics


def test_untrusted_peers_cannot_claim_an_address(data_dir, site_and_key):
    site, key = site_and_key
    cli(data_dir, "import-ip-data", fixture("asn.mmdb"))
    server = Server(data_dir).start()  # no --trusted-proxy
    try:
        assert server.beacon(pageview(site, "/"), headers={"X-Forwarded-For": "192.0.2.10"}).status_code == 202
        assert list(visits_by_org(server, site, key)) == [""]
    finally:
        server.stop()


def test_imports_apply_while_serving_and_broken_files_change_nothing(proxied_server, site_and_key, data_dir):
    site, key = site_and_key
    server = proxied_server
    custom = data_dir / "acme.csv"
    custom.write_text("# our offices\n203.0.113.0/24,Acme Corp,acme.com,business,US\n")
    cli(data_dir, "import-ip-data", str(custom), "--tenant", "default")

    broken = subprocess.run([BIN, "import-ip-data", fixture("broken/corrupt-tree.mmdb"), "--name", "asn", "--data", str(data_dir)],
                            capture_output=True, text=True, timeout=60)
    assert broken.returncode != 0
    assert "corrupt-tree.mmdb" in broken.stderr and "offset" in broken.stderr
    truncated = subprocess.run([BIN, "import-ip-data", fixture("broken/truncated.csv"), "--name", "ip2asn", "--data", str(data_dir)],
                               capture_output=True, text=True, timeout=60)
    assert truncated.returncode != 0 and "line 7" in truncated.stderr

    deadline = time.monotonic() + 10
    index = 0
    while True:
        index += 1
        # A new address per try: a new visitor, so each try is a new visit.
        assert server.beacon(pageview(site, "/"), headers={"X-Forwarded-For": f"203.0.113.{index}"}).status_code == 202
        orgs = visits_by_org(server, site, key)
        if "Acme Corp" in orgs:
            break
        assert time.monotonic() < deadline, orgs.keys()
        time.sleep(0.3)
    acme = orgs["Acme Corp"]
    assert (acme["organisation_domain"], acme["network_type"], acme["country"]) == ("acme.com", "business", "US")
    # Until the reload, the same range answered from the ASN data; the broken imports changed nothing.
    assert set(orgs) <= {"Acme Corp", "Example Telecom Broadband"}
    assert server.beacon(pageview(site, "/"), headers={"X-Forwarded-For": "192.0.2.10"}).status_code == 202
    assert "Example Industries GmbH" in visits_by_org(server, site, key)


def test_lookup_ip_prints_every_layer(data_dir):
    cli(data_dir, "site", "create", "--name", "Acme", "--tenant", "acme")
    cli(data_dir, "import-ip-data", fixture("asn.mmdb"))
    cli(data_dir, "import-ip-data", fixture("ip2asn.csv"))
    cli(data_dir, "import-ip-data", fixture("custom-acme.csv"), "--tenant", "acme")
    out = cli(data_dir, "lookup-ip", "203.0.113.130", "--tenant", "acme")
    assert 'custom             org="Acme Research" domain=acme.com country=GB stated_type=business' in out
    assert 'mmdb:asn           org="Example Telecom Broadband" asn=AS64502' in out
    assert 'csv:ip2asn         org="Example Telecom Broadband" asn=AS64502 country=FR' in out
    assert out.splitlines()[-1].strip() == '=> org="Acme Research" domain=acme.com asn=AS64502 country=GB stated_type=business type=business (lead)'
    bad = subprocess.run([BIN, "lookup-ip", "999.1.1.1", "--data", str(data_dir)], capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "not an IPv4 or IPv6 address" in bad.stderr


def test_demo_shows_an_organisation(data_dir):
    # Started outside the repository: the demo finds the fixtures beside the binary's checkout.
    demo = Server(data_dir, ["--demo"])
    cwd = os.getcwd()
    os.chdir(data_dir)
    try:
        demo.start()
    finally:
        os.chdir(cwd)
    try:
        import re
        banner = demo.log()
        site = re.search(r'data-site="(s_\w+)"', banner).group(1)
        key = re.search(r"API key \(shown once, store it now\): (ff_live_\w+)", banner).group(1)
        assert demo.beacon(pageview(site, "/demo/")).status_code == 202
        visit = list(visits_by_org(demo, site, key).values())[0]
        assert (visit["organisation"], visit["network_type"]) == ("Example Demo Visitors Ltd", "business")
        # The demo's own pricing page is its key page; its home page is not.
        [lead] = demo.api("/api/v1/leads", key, site=site).json()["leads"]
        assert lead["key_pages"] == {}
        assert demo.beacon(pageview(site, "/demo/pricing")).status_code == 202
        [lead] = demo.api("/api/v1/leads", key, site=site).json()["leads"]
        assert lead["key_pages"] == {"/demo/pricing*": 1}
    finally:
        demo.stop()
