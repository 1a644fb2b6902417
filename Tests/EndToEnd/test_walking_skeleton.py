"""The foundation's promise: pasted tag → durable beacon → visit readable through the API."""
import json
import re
import signal
import threading

import requests

from conftest import BIN, CHROME_UA, Server, cli, pageview


def visits(server, site, key):
    response = server.api("/api/v1/visits", key, site=site)
    assert response.status_code == 200, response.text
    return response.json()["visits"]


def test_three_pageviews_become_one_visit_that_survives_restart(server, site_and_key, data_dir):
    site, key = site_and_key
    for path in ["/", "/pricing", "/contact"]:
        assert server.beacon(pageview(site, path, referrer="https://www.google.com/")).status_code == 202

    [visit] = visits(server, site, key)
    assert [page["path"] for page in visit["pages"]] == ["/", "/pricing", "/contact"]
    assert (visit["entry_page"], visit["exit_page"], visit["pageviews"]) == ("/", "/contact", 3)
    assert (visit["medium"], visit["source"]) == ("search", "Google")
    assert (visit["browser"], visit["os"], visit["device"]) == ("Chrome", "Linux", "desktop")
    assert visit["started_at"] <= visit["ended_at"]

    server.stop()
    restarted = Server(data_dir).start()
    try:
        assert visits(restarted, site, key) == [visit]
        # The open visit continues after the restart.
        assert restarted.beacon(pageview(site, "/docs")).status_code == 202
        [continued] = visits(restarted, site, key)
        assert [page["path"] for page in continued["pages"]] == ["/", "/pricing", "/contact", "/docs"]
    finally:
        restarted.stop()


def test_a_retried_beacon_is_stored_once(server, site_and_key):
    site, key = site_and_key
    event = pageview(site, "/")
    assert server.beacon(event).status_code == 202
    assert server.beacon(event).status_code == 202
    assert [v["pageviews"] for v in visits(server, site, key)] == [1]


def test_batches_are_accepted(server, site_and_key):
    site, key = site_and_key
    batch = {"batch": [pageview(site, "/a"), pageview(site, "/b")]}
    assert server.beacon(batch).status_code == 202
    assert [p["path"] for p in visits(server, site, key)[0]["pages"]] == ["/a", "/b"]


def test_bad_beacons_get_precise_errors_and_the_server_keeps_serving(server, site_and_key):
    site, key = site_and_key
    cases = [
        (b"{not json", "text/plain", 400, "not valid JSON"),
        (json.dumps({"s": site, "t": "pageview", "id": "x"}), "text/plain", 400, "missing field 'u'"),
        (json.dumps({"s": site, "t": "hover", "id": "x", "u": "https://acme.test/"}), "text/plain", 400, "invalid field 't'"),
        (json.dumps(pageview("s_unknown", "/")), "text/plain", 404, "unknown site key 's_unknown'"),
        (json.dumps(pageview(site, "/")), "application/x-www-form-urlencoded", 415, "unsupported content type"),
        (b"x" * 9000, "text/plain", 413, "larger than 8192 bytes"),
    ]
    for body, content_type, status, reason in cases:
        response = server.beacon(body, content_type=content_type)
        assert response.status_code == status, (body[:40], response.text)
        assert reason in response.text
    # Chunked (no Content-Length) oversized bodies are cut off too.
    chunks = iter([b"x" * 4096] * 3)
    response = requests.post(server.base + "/e", data=chunks, headers={"Content-Type": "text/plain"}, timeout=10)
    assert response.status_code == 413

    assert server.beacon(pageview(site, "/ok")).status_code == 202
    assert visits(server, site, key)[0]["pages"][0]["path"] == "/ok"
    metrics = requests.get(server.base + "/metrics", timeout=5).text
    assert 'footfall_beacons_rejected_total{reason="malformed_json"} 1' in metrics
    assert 'footfall_beacons_rejected_total{reason="unknown_site"} 1' in metrics
    assert 'footfall_beacons_rejected_total{reason="body_too_large"} 2' in metrics
    assert "footfall_events_accepted_total 1" in metrics


def test_bots_and_do_not_track_are_counted_not_stored(server, site_and_key):
    site, key = site_and_key
    assert server.beacon(pageview(site, "/"), user_agent="curl/8.5.0").status_code == 202
    assert server.beacon(pageview(site, "/"), headers={"Sec-GPC": "1"}).status_code == 202
    assert visits(server, site, key) == []
    metrics = requests.get(server.base + "/metrics", timeout=5).text
    assert 'footfall_events_dropped_total{reason="bot"} 1' in metrics
    assert 'footfall_events_dropped_total{reason="do_not_track"} 1' in metrics


def test_api_keys_are_checked_and_scoped_to_their_tenant(server, site_and_key, data_dir):
    site, key = site_and_key
    other_site = cli(data_dir, "site", "create", "--name", "Other", "--tenant", "other")
    export_only = cli(data_dir, "key", "create", "--scopes", "export:run")
    assert server.api("/api/v1/visits", "ff_live_wrong", site=site).status_code == 401
    forbidden = server.api("/api/v1/visits", export_only, site=site)
    assert forbidden.status_code == 403
    assert forbidden.headers["Content-Type"] == "application/problem+json"
    assert server.api("/api/v1/visits", key, site=other_site).status_code == 404
    bad = server.api("/api/v1/visits", key, site=site, limit="abc")
    assert bad.status_code == 400 and "limit" in bad.json()["detail"]
    assert requests.get(server.base + "/api/v1/visits", params={"site": site}, timeout=5).status_code == 401


def test_graceful_shutdown_loses_no_acknowledged_beacon(server, site_and_key, data_dir):
    site, key = site_and_key
    accepted = []
    lock = threading.Lock()

    def send(worker):
        session = requests.Session()
        for index in range(40):
            event = pageview(site, f"/w{worker}/{index}")
            try:
                status = session.post(server.base + "/e", data=json.dumps(event), timeout=10,
                                      headers={"Content-Type": "text/plain", "User-Agent": f"{CHROME_UA} w{worker}"}).status_code
            except requests.ConnectionError:
                return
            if status == 202:
                with lock:
                    accepted.append(event["id"])

    workers = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for worker in workers:
        worker.start()
    while len(accepted) < 20:
        pass
    assert server.stop(signal.SIGTERM) == 0
    for worker in workers:
        worker.join()

    restarted = Server(data_dir).start()
    try:
        stored = sum(v["pageviews"] for v in visits(restarted, site, key))
        assert stored >= len(accepted) > 0
    finally:
        restarted.stop()


def test_demo_mode_prints_the_tag_key_and_a_working_curl_line(data_dir):
    demo = Server(data_dir, ["--demo"]).start()
    try:
        banner = demo.log()
        tag = re.search(r'<script defer src="(http://127.0.0.1:\d+/t.js)" data-site="(s_\w+)"></script>', banner)
        key = re.search(r"API key \(shown once, store it now\): (ff_live_\w+)", banner)
        assert tag and key, banner
        script = requests.get(tag.group(1), timeout=5)
        assert script.status_code == 200 and "sendBeacon" in script.text
        assert requests.get(tag.group(1), headers={"If-None-Match": script.headers["ETag"]}, timeout=5).status_code == 304
        page = requests.get(demo.base + "/demo/", timeout=5)
        assert tag.group(2) in page.text
        assert demo.beacon(pageview(tag.group(2), "/demo/")).status_code == 202
        assert len(visits(demo, tag.group(2), key.group(1))) == 1
    finally:
        demo.stop()


def test_pixel_fallback_stores_a_pageview_without_javascript(server, site_and_key):
    site, key = site_and_key
    response = requests.get(server.base + "/e.gif", params={"s": site, "u": "https://acme.test/nojs", "sw": "800"},
                            headers={"User-Agent": CHROME_UA}, timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/gif" and response.content.startswith(b"GIF89a")
    assert visits(server, site, key)[0]["pages"][0]["path"] == "/nojs"
    bad = requests.get(server.base + "/e.gif", params={"s": site, "u": "https://acme.test/", "sw": "wide"}, timeout=5)
    assert bad.status_code == 400 and "invalid field 'sw'" in bad.text


def test_ip_policy_is_a_site_setting_applied_to_stored_events(server, site_and_key, data_dir):
    import sqlite3
    site, key = site_and_key
    assert "ip_policy=drop" in cli(data_dir, "site", "config", site, "--set", "ip_policy=drop")
    import time
    time.sleep(6)  # the server re-reads site settings every 5 s
    assert server.beacon(pageview(site, "/dropped-ip")).status_code == 202
    with sqlite3.connect(f"file:{data_dir / 'events.sqlite'}?mode=ro", uri=True) as db:
        assert db.execute("SELECT stored_ip FROM events WHERE path = '/dropped-ip'").fetchall() == [("",)]


def test_admin_actions_are_audited_without_secrets(data_dir, site_and_key):
    site, key = site_and_key
    cli(data_dir, "site", "config", site, "--set", "sample_percent=50")
    log = cli(data_dir, "audit", "--limit", "10").splitlines()
    actions = [line.split("\t")[2] for line in log]
    assert actions[:3] == ["site.config", "key.create", "site.create"], log
    assert key not in "\n".join(log) and key[:12] in "\n".join(log)
    result = __import__("subprocess").run([BIN, "audit", "--limit", "0", "--data", str(data_dir)],
                                          capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and "--limit must be from 1 to 10000" in result.stderr
