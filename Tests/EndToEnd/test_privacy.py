"""Privacy end to end: no visitor IP on disk, data-subject requests, retention, audit chain."""
import ipaddress
import json
import os
import sqlite3
import subprocess
import time
import uuid

import pytest
import requests

from conftest import BIN, Server, cli, pageview

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "..", "Fixtures", "ipintel")
VISITOR_IPS = ["192.0.2.10", "198.51.100.7", "2a02:8108:1234:5678:9abc:def0:1234:5678"]


def ip_forms(ip):
    """Every form an address could be written in: text (short and, for IPv6, exploded) and packed bytes."""
    address = ipaddress.ip_address(ip)
    forms = {str(address).encode(), address.packed}
    if address.version == 6:
        forms.add(address.exploded.encode())
    return forms


def files_containing(data_dir, needles):
    """`{relative path: [needle, ...]}` for every file under data_dir holding one of the needles."""
    hits = {}
    for root, _, names in os.walk(data_dir):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as handle:
                content = handle.read()
            found = [needle for needle in needles if needle in content]
            if found:
                hits[os.path.relpath(path, data_dir)] = found
    return hits


def run(data_dir, *args):
    return subprocess.run([BIN, *args, "--data", str(data_dir)], capture_output=True, text=True, timeout=60)


def ingest_from_known_ips(data_dir, site, extra_beacons=()):
    cli(data_dir, "import-ip-data", os.path.join(FIXTURES, "ip2asn.csv"), "--format", "csv")
    server = Server(data_dir, ["--trusted-proxy", "127.0.0.1"]).start()
    try:
        for ip in VISITOR_IPS:
            load = uuid.uuid4().hex
            batch = {"batch": [pageview(site, "/pricing", page_load=load, referrer="https://www.google.com/"),
                               {"s": site, "t": "engagement", "id": uuid.uuid4().hex, "u": "https://acme.test/pricing",
                                "p": load, "e": 4000, "sc": 80}]}
            assert server.beacon(batch, headers={"X-Forwarded-For": ip}).status_code == 202
            # A malformed beacon from the same visitor: the error path must not log the address either.
            assert server.beacon(b"{broken", headers={"X-Forwarded-For": ip}).status_code == 400
        for beacon, ip in extra_beacons:
            assert server.beacon(beacon, headers={"X-Forwarded-For": ip}).status_code == 202
    finally:
        server.stop()


@pytest.mark.parametrize("policy", ["drop", "truncate", "hash"])
def test_no_visitor_ip_is_written_anywhere_in_the_data_directory(data_dir, site_and_key, policy):
    site, _ = site_and_key
    cli(data_dir, "site", "config", site, "--set", f"ip_policy={policy}")
    needles = set().union(*(ip_forms(ip) for ip in VISITOR_IPS))
    assert files_containing(data_dir, needles) == {}

    ingest_from_known_ips(data_dir, site)
    assert files_containing(data_dir, needles) == {}, f"visitor IPs on disk under ip_policy={policy}"
    with sqlite3.connect(data_dir / "events.sqlite") as db:
        stored = {row[0] for row in db.execute("SELECT stored_ip FROM events")}
        organisations = {row[0] for row in db.execute("SELECT organisation FROM events")}
    assert "Example Industries GmbH" in organisations  # enrichment did see the address
    expected = {"drop": {""}, "truncate": {"192.0.2.0", "198.51.100.0", "2a02:8108:1234::"}}
    if policy == "hash":
        assert len(stored) == 3 and all(len(value) == 16 for value in stored)
    else:
        assert stored == expected[policy]


def test_erasure_and_portability_by_ip_range_and_organisation(data_dir, site_and_key):
    site, key = site_and_key
    custom = data_dir / "offices.csv"
    custom.write_text("203.0.113.0/24,Acme Corp,acme.com,business,US\n")
    cli(data_dir, "import-ip-data", str(custom), "--tenant", "default")
    extra = [(pageview(site, "/careers"), "203.0.113.9"), (pageview(site, "/jobs"), "203.0.113.9")]
    ingest_from_known_ips(data_dir, site, extra)

    exported = json.loads(cli(data_dir, "export-subject", "--site", site, "--org", "acme.com"))
    assert sorted(event["path"] for event in exported["events"]) == ["/careers", "/jobs"]
    assert [[page["path"] for page in visit["pages"]] for visit in exported["visits"]] == [["/careers", "/jobs"]]
    assert exported["visits"][0]["network"]["domain"] == "acme.com"
    assert exported["receipt"].startswith("rcpt_")

    by_range = json.loads(cli(data_dir, "export-subject", "--site", site, "--ip-range", "198.51.100.7"))
    assert [event["type"] for event in by_range["events"]] == ["pageview", "engagement"]

    out = cli(data_dir, "erase", "--site", site, "--org", "acme.com")
    assert out.startswith("erased 2 events, 1 visits (0 segments rewritten); receipt rcpt_")
    out = cli(data_dir, "erase", "--site", site, "--ip-range", "198.51.100.0/24")
    assert out.startswith("erased 2 events, 1 visits")

    for selector in (["--org", "acme.com"], ["--ip-range", "198.51.100.0/24"]):
        again = json.loads(cli(data_dir, "export-subject", "--site", site, *selector))
        assert again["events"] == [] and again["visits"] == []
    with sqlite3.connect(data_dir / "events.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 4  # the two other visitors
        assert db.execute("SELECT COUNT(*) FROM events WHERE org_domain = 'acme.com'").fetchone()[0] == 0
    server = Server(data_dir).start()
    try:
        response = server.api("/api/v1/visits", key, site=site)
        assert response.status_code == 200
        visits = response.json()["visits"]
        assert {v["organisation"] for v in visits} == {"Example Industries GmbH", ""}
    finally:
        server.stop()
    # A visitor id copied from the API (16 hex digits) selects that visitor, as does its signed
    # decimal form (the events endpoint's), even when negative.
    shown = visits[0]["visitor"]
    assert len(shown) == 16
    decimal = str(int(shown, 16) - (1 << 64) if int(shown, 16) >= 1 << 63 else int(shown, 16))
    for form in (shown, shown.upper(), decimal):
        subject = json.loads(cli(data_dir, "export-subject", "--site", site, "--visitor", form))
        assert str(visits[0]["id"]) in {str(v["id"]) for v in subject["visits"]}, form

    audit = cli(data_dir, "audit")
    assert audit.count("privacy.erase") == 2 and audit.count("privacy.export") == 4 + 3  # + the three visitor forms
    assert "198.51.100" not in audit  # ranges are audited as digests
    assert cli(data_dir, "audit", "verify").startswith("audit chain ok")


def test_subject_requests_refuse_ambiguous_selectors(data_dir, site_and_key):
    site, _ = site_and_key
    both = run(data_dir, "erase", "--site", site, "--visitor", "1", "--org", "acme.com")
    assert both.returncode != 0 and "exactly one of --visitor, --org, --ip-range" in both.stderr
    bad = run(data_dir, "erase", "--site", site, "--ip-range", "300.1.2.3/8")
    assert bad.returncode != 0 and "--ip-range 300.1.2.3/8: not an address" in bad.stderr
    unknown = run(data_dir, "export-subject", "--site", "s_nope", "--visitor", "1")
    assert unknown.returncode != 0 and "unknown site key s_nope" in unknown.stderr
    missing_dir = run(data_dir, "export-subject", "--site", site, "--visitor", "1", "--output", "/nonexistent/dir/f.json")
    assert missing_dir.returncode != 0 and "--output /nonexistent/dir/f.json: cannot create the file" in missing_dir.stderr
    document = data_dir / "subject.json"
    written = run(data_dir, "export-subject", "--site", site, "--visitor", "1", "--output", str(document))
    assert written.returncode == 0 and json.loads(document.read_text())["events"] == []
    assert document.stat().st_mode & 0o777 == 0o600
    garbled = run(data_dir, "export-subject", "--site", site, "--visitor", "91cbbdbd54f9b6zz")
    assert garbled.returncode != 0 and "the 16 hex digits the Lead API shows" in garbled.stderr


def test_retention_run_uses_each_sites_setting(data_dir, site_and_key):
    site, _ = site_and_key
    assert "retention_days=30" in cli(data_dir, "site", "config", site, "--set", "retention_days=30").splitlines()
    out = cli(data_dir, "retention", "run")
    assert out.splitlines()[0] == "deleted 0 segments, 0 hot visits, 0 hot events"
    assert f"{site}: 0 segments" in out
    refused = run(data_dir, "site", "config", site, "--set", "retention_days=0")
    assert refused.returncode != 0 and "retention_days: '0' is invalid; expected a number of days from 1 to 3650" in refused.stderr


def test_audit_verify_finds_an_altered_and_a_deleted_entry(data_dir, site_and_key):
    site, _ = site_and_key
    for days in ("30", "60", "90"):
        cli(data_dir, "site", "config", site, "--set", f"retention_days={days}")
    assert cli(data_dir, "audit", "verify").startswith("audit chain ok")
    assert oct(os.stat(data_dir / "audit-checkpoint.key").st_mode & 0o777) == "0o600"

    with sqlite3.connect(data_dir / "catalog.sqlite") as db:
        db.execute("UPDATE audit_log SET detail = 'nothing' WHERE id = 3")
    altered = run(data_dir, "audit", "verify")
    assert altered.returncode == 1 and "audit chain broken at entry 3: entry content does not match its hash" in altered.stdout

    with sqlite3.connect(data_dir / "catalog.sqlite") as db:
        db.execute("DELETE FROM audit_log WHERE id = 3")
    deleted = run(data_dir, "audit", "verify")
    assert deleted.returncode == 1 and "entry 3: entry missing" in deleted.stdout


def test_subject_requests_through_the_api_remove_the_organisations_lead(data_dir, site_and_key):
    site, reader = site_and_key
    admin = cli(data_dir, "key", "create", "--scopes", "privacy:admin")
    custom = data_dir / "offices.csv"
    custom.write_text("203.0.113.0/24,Acme Corp,acme.com,business,US\n198.51.100.0/24,Globex,globex.com,business,DE\n")
    cli(data_dir, "import-ip-data", str(custom), "--tenant", "default")
    server = Server(data_dir, ["--trusted-proxy", "127.0.0.1"]).start()
    try:
        for ip, path in [("203.0.113.9", "/pricing"), ("203.0.113.10", "/contact"), ("198.51.100.4", "/pricing")]:
            assert server.beacon(pageview(site, path), headers={"X-Forwarded-For": ip}).status_code == 202
        leads = wait_for_leads(server, site, reader, 2)
        acme = next(lead for lead in leads if lead["domain"] == "acme.com")
        assert acme["visitors"] == 2

        def subjects(method, key, **params):
            return requests.request(method, server.base + "/api/v1/privacy/subjects", params={"site": site, **params},
                                    headers={"Authorization": f"Bearer {key}"}, timeout=10)

        assert subjects("GET", reader, org="acme.com").status_code == 403
        ambiguous = subjects("DELETE", admin, org="acme.com", visitor="1")
        assert ambiguous.status_code == 400 and "exactly one of 'visitor', 'org', 'ip_range'" in ambiguous.json()["detail"]
        assert subjects("DELETE", admin, ip_range="not-a-range").status_code == 400
        assert subjects("DELETE", admin, site="s_elsewhere", org="acme.com").status_code == 404

        document = subjects("GET", admin, org="ACME.com")
        assert document.status_code == 200
        assert sorted(event["path"] for event in document.json()["events"]) == ["/contact", "/pricing"]
        assert len(document.json()["visits"]) == 2 and document.json()["receipt"].startswith("rcpt_")

        erased = subjects("DELETE", admin, org="acme.com")
        assert erased.status_code == 200
        assert (erased.json()["events"], erased.json()["visits"]) == (2, 2)
        assert subjects("GET", admin, org="acme.com").json()["events"] == []
        remaining = server.api("/api/v1/leads", reader, site=site).json()["leads"]
        assert [lead["domain"] for lead in remaining] == ["globex.com"]
        assert server.api(f"/api/v1/leads/{acme['id']}", reader).status_code == 404
        # The change feed announces the erased lead once more, with nothing left in it.
        changes = server.api("/api/v1/leads/changes", reader, site=site).json()["changes"]
        last = [change for change in changes if change["id"] == acme["id"]][-1]
        assert (last["visits"], last["visitors"], last["pageviews"], last["top_pages"]) == (0, 0, 0, [])
    finally:
        server.stop()
    with sqlite3.connect(data_dir / "events.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM events WHERE org_domain = 'acme.com'").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM lead_visits WHERE lead_id = ?", (acme["id"],)).fetchone()[0] == 0
    audit = cli(data_dir, "audit")
    assert audit.count("privacy.erase") == 1 and audit.count("privacy.export") == 2
    receipt = erased.json()["receipt"]
    assert receipt in audit


def wait_for_leads(server, site, key, count, timeout=15):
    deadline = time.monotonic() + timeout
    while True:
        leads = server.api("/api/v1/leads", key, site=site).json()["leads"]
        if len(leads) >= count:
            return leads
        assert time.monotonic() < deadline, leads
        time.sleep(0.2)


def test_consented_geolocation_sets_the_visits_country_and_region(data_dir, site_and_key):
    site, key = site_and_key
    fixtures = os.path.join(os.path.dirname(__file__), "..", "..", "Fixtures", "places")
    out = cli(data_dir, "import-places", os.path.join(fixtures, "cities.txt"), "--admin1", os.path.join(fixtures, "admin1.txt"))
    assert out.startswith("installed 10 places in 7 countries")
    broken = run(data_dir, "import-places", os.path.join(FIXTURES, "ip2asn.csv"))
    assert broken.returncode != 0 and "ip2asn.csv: line 1:" in broken.stderr
    custom = data_dir / "offices.csv"
    custom.write_text("203.0.113.0/24,Acme Corp,acme.com,business,US\n")
    cli(data_dir, "import-ip-data", str(custom), "--tenant", "default")
    server = Server(data_dir, ["--trusted-proxy", "127.0.0.1"]).start()
    try:
        located, unlocated = uuid.uuid4().hex, uuid.uuid4().hex
        geo = {"s": site, "t": "geo", "id": uuid.uuid4().hex, "u": "https://acme.test/", "p": located,
               "lat": 48.5734, "lon": 7.7521, "acc": 30}
        assert server.beacon({"batch": [pageview(site, "/", page_load=located), geo]},
                             headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 202
        assert server.beacon(pageview(site, "/", page_load=unlocated), headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 202
        deadline = time.monotonic() + 15
        while True:
            visits = server.api("/api/v1/visits", key, site=site).json()["visits"]
            if len(visits) == 2:
                break
            assert time.monotonic() < deadline, visits
            time.sleep(0.2)
        places = sorted((v["country"], v["region"], v["organisation"]) for v in visits)
        assert places == [("FR", "Grand Est", "Acme Corp"), ("US", "", "Acme Corp")]
    finally:
        server.stop()
