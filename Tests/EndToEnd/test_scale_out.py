"""Scale-out end to end: two `footfall serve` nodes sharing one ClickHouse database (and one
data directory for the catalog and lead tables), one visitor's page views alternating
between them, give the same visits and leads as a single node, and a beacon retried on the
other node is stored once. Needs FOOTFALL_CLICKHOUSE_URL (`make test` starts a private
clickhouse-server: scripts/clickhouse-local.sh)."""
import os
import time
import uuid

import pytest

from conftest import Server, cli, pageview

RANGES = """# range,organisation,domain,network_type,country
192.0.2.0/26,Alpha Industries,alpha.example,business,DE
192.0.2.64/26,Beta University,beta.example,education,GB
198.51.100.0/24,HomeNet Broadband,homenet.example,isp,DE
"""

# (forwarded address, pages in order): one visit each.
VISITORS = [
    ("192.0.2.10", ["/", "/pricing", "/contact", "/demo", "/pricing"]),
    ("192.0.2.11", ["/blog", "/pricing"]),
    ("192.0.2.70", ["/", "/careers", "/pricing"]),
    ("198.51.100.5", ["/pricing", "/contact"]),
]


def clickhouse_store():
    url = os.environ.get("FOOTFALL_CLICKHOUSE_URL")
    if not url:
        pytest.fail("FOOTFALL_CLICKHOUSE_URL is not set: run `make test`, or start one with scripts/clickhouse-local.sh")
    return url.rsplit("/", 1)[0] + "/e2e_" + uuid.uuid4().hex[:12]


def setup(data_dir):
    site = cli(data_dir, "site", "create", "--name", "Acme", "--domain", "acme.test")
    key = cli(data_dir, "key", "create", "--scopes", "leads:read,stats:read,export:run")
    ranges = data_dir / "ranges.csv"
    ranges.write_text(RANGES)
    cli(data_dir, "import-ip-data", str(ranges), "--tenant", "default")
    return site, key


def run_traffic(nodes, site):
    """Sends every visitor's page views in turn, the n-th beacon overall to node n % len(nodes),
    so each visitor's page views alternate between the nodes; then retries the first beacon
    on the other node."""
    sent = 0
    first = None
    for position in range(max(len(pages) for _, pages in VISITORS)):
        for address, pages in VISITORS:
            if position >= len(pages):
                continue
            beacon = pageview(site, pages[position])
            first = first or (beacon, address)
            response = nodes[sent % len(nodes)].beacon(beacon, headers={"X-Forwarded-For": address})
            assert response.status_code == 202, response.text
            sent += 1
    retry = nodes[-1].beacon(first[0], headers={"X-Forwarded-For": first[1]})
    assert retry.status_code == 202, retry.text


def visits_by_organisation(node, site, key):
    response = node.api("/api/v1/visits", key, site=site, limit=100)
    assert response.status_code == 200, response.text
    return sorted((v["organisation"], tuple(p["path"] for p in v["pages"])) for v in response.json()["visits"])


def lead_summary(node, site, key):
    deadline = time.monotonic() + 10
    while True:
        response = node.api("/api/v1/leads", key, site=site)
        assert response.status_code == 200, response.text
        leads = response.json()["leads"]
        summary = sorted((l["organisation"], l["visits"], l["pageviews"], tuple(sorted(l["key_pages"].items()))) for l in leads)
        if len(summary) == 2 or time.monotonic() > deadline:
            return summary
        time.sleep(0.2)


def test_two_nodes_store_what_one_node_stores(tmp_path):
    single_dir, shared_dir = tmp_path / "single", tmp_path / "shared"
    single_dir.mkdir()
    shared_dir.mkdir()

    site, key = setup(single_dir)
    single = Server(single_dir, ["--store", clickhouse_store(), "--trusted-proxy", "127.0.0.1"]).start()
    try:
        run_traffic([single], site)
        expected_visits = visits_by_organisation(single, site, key)
        expected_leads = lead_summary(single, site, key)
    finally:
        single.stop()
    assert len(expected_visits) == len(VISITORS), "one visit per visitor"
    assert [organisation for organisation, *_ in expected_leads] == ["Alpha Industries", "Beta University"]

    site, key = setup(shared_dir)
    store = clickhouse_store()
    nodes = [Server(shared_dir, ["--store", store, "--trusted-proxy", "127.0.0.1"]).start() for _ in range(2)]
    try:
        run_traffic(nodes, site)
        for node in nodes:
            assert visits_by_organisation(node, site, key) == expected_visits
            assert lead_summary(node, site, key) == expected_leads
        events = nodes[0].api("/api/v1/events", key, site=site)
        assert events.status_code == 200, events.text
        assert len([line for line in events.text.splitlines() if line.strip()]) == sum(len(p) for _, p in VISITORS), \
            "the retried beacon is stored once"
    finally:
        for node in nodes:
            node.stop()
    for node in nodes:
        log = (shared_dir / f"server-{node.port}.log").read_text(errors="replace")
        assert " error " not in log, log


def test_an_unreachable_clickhouse_is_a_clear_start_error(tmp_path):
    result = __import__("subprocess").run(
        [__import__("conftest").BIN, "serve", "--data", str(tmp_path), "--port", "0",
         "--store", "clickhouse://ingest:hunter2@127.0.0.1:1/footfall"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "ClickHouse unreachable" in result.stderr and "127.0.0.1:1" in result.stderr, result.stderr
    assert "hunter2" not in result.stderr + result.stdout


def test_a_malformed_store_is_refused_before_start(tmp_path):
    result = __import__("subprocess").run(
        [__import__("conftest").BIN, "serve", "--data", str(tmp_path), "--store", "clickhouse://localhost:8123/bad-name"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 64, result.stderr
    assert "database name must be letters, digits and _" in result.stderr


def test_migrate_copies_an_embedded_installation_resumably(tmp_path):
    site, key = setup(tmp_path)
    embedded = Server(tmp_path, ["--trusted-proxy", "127.0.0.1"]).start()
    try:
        run_traffic([embedded], site)
        expected_visits = visits_by_organisation(embedded, site, key)
        expected_leads = lead_summary(embedded, site, key)
    finally:
        embedded.stop()

    store = clickhouse_store()
    events = sum(len(pages) for _, pages in VISITORS)
    for run in range(2):  # the second run resumes a finished copy: nothing is stored twice
        output = cli(tmp_path, "migrate", "--to", store)
        assert f"events {events} → {events}, visits {len(VISITORS)} → {len(VISITORS)}, leads 2 → 2" in output, output
        assert "MISMATCH" not in output

    migrated = Server(tmp_path, ["--store", store, "--trusted-proxy", "127.0.0.1"]).start()
    try:
        assert visits_by_organisation(migrated, site, key) == expected_visits
        assert lead_summary(migrated, site, key) == expected_leads
    finally:
        migrated.stop()


def test_migrate_refuses_a_running_server_and_a_bad_target(tmp_path, site_and_key):
    running = Server(tmp_path).start()
    try:
        busy = __import__("subprocess").run(
            [__import__("conftest").BIN, "migrate", "--to", clickhouse_store(), "--data", str(tmp_path)],
            capture_output=True, text=True, timeout=60)
        assert busy.returncode == 64 and "stop the server before migrating" in busy.stderr, busy.stderr
    finally:
        running.stop()
    bad = __import__("subprocess").run(
        [__import__("conftest").BIN, "migrate", "--to", "postgres://localhost/x", "--data", str(tmp_path)],
        capture_output=True, text=True, timeout=60)
    assert bad.returncode == 64 and "--to must be clickhouse://" in bad.stderr, bad.stderr
