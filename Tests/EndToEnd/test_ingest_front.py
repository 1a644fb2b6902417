"""The beacon front end under abuse: pipelining, shields, flood limits, fuzzing, SIGKILL, a full disk."""
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import uuid

import pytest
import requests

from conftest import CHROME_UA, Server, cli, free_port, pageview


def metrics(server):
    return requests.get(server.base + "/metrics", timeout=5).text


def test_pipelined_requests_are_answered_in_order(server, site_and_key):
    site, _ = site_and_key
    body = json.dumps(pageview(site, "/pipelined"))
    post = (f"POST /e HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nUser-Agent: {CHROME_UA}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}")
    raw = (post + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n{x}"
           + "GET /e.gif HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(raw.encode())
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    statuses = re.findall(r"HTTP/1\.1 (\d{3}) ", received.decode(errors="replace"))
    assert statuses == ["202", "200", "400", "400"], received


def test_shields_drop_the_owners_traffic_and_count_it(data_dir, site_and_key):
    site, key = site_and_key
    cli(data_dir, "site", "config", site, "--set", "shield_paths=/internal/*", "--set", "shield_ips=10.9.0.0/16",
        "--set", "shield_hosts=staging.acme.test")
    server = Server(data_dir, ["--trusted-proxy", "127.0.0.1"]).start()
    try:
        assert server.beacon(pageview(site, "/internal/wiki")).status_code == 202
        assert server.beacon(pageview(site, "/pricing"), headers={"X-Forwarded-For": "10.9.3.4"}).status_code == 202
        staging = pageview(site, "/pricing")
        staging["u"] = "https://staging.acme.test/pricing"
        assert server.beacon(staging).status_code == 202
        assert server.beacon(pageview(site, "/pricing")).status_code == 202
        text = metrics(server)
        for reason in ["shield_path", "shield_ip", "shield_host"]:
            assert f'footfall_events_dropped_total{{reason="{reason}"}} 1' in text
        assert f'footfall_shield_dropped_total{{site="{site}",reason="shield_ip"}} 1' in text
        assert "footfall_events_accepted_total 1" in text
    finally:
        server.stop()
    with sqlite3.connect(data_dir / "catalog.sqlite") as db:
        counts = sorted(db.execute("SELECT family, signal, count FROM bot_counts").fetchall())
    assert counts == [("Shield", "shield_host", 1), ("Shield", "shield_ip", 1), ("Shield", "shield_path", 1)]


def test_a_flooding_client_gets_429_with_retry_after_and_others_are_served(data_dir, site_and_key):
    site, _ = site_and_key
    server = Server(data_dir, ["--ip-rate", "1", "--trusted-proxy", "127.0.0.1"]).start()
    try:
        statuses = [server.beacon(pageview(site, f"/{n}"), headers={"X-Forwarded-For": "203.0.113.5"}) for n in range(14)]
        assert [r.status_code for r in statuses[:10]] == [202] * 10
        refused = [r for r in statuses[10:] if r.status_code == 429]
        assert refused and int(refused[0].headers["Retry-After"]) >= 1
        assert server.beacon(pageview(site, "/other"), headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 202
        assert 'footfall_beacons_rejected_total{reason="too_many_requests"}' in metrics(server)
    finally:
        server.stop()


def fuzz_bodies(site, rng, count):
    """Seeded random bytes, mutated real beacons, invalid UTF-8, deep nesting, huge numbers."""
    real = [json.dumps(pageview(site, "/fuzz")).encode(), json.dumps({"batch": [pageview(site, "/a"), pageview(site, "/b")]}).encode(),
            json.dumps({"s": site, "t": "custom", "id": "c1", "u": "https://acme.test/", "n": "signup", "pr": {"plan": "pro"}}).encode()]
    fixed = [
        b'{"s":"' + site.encode() + b'","t":"pageview","id":"\xff\xfe","u":"https://acme.test/\xc3"}',
        b"[" * 4000 + b"]" * 4000,
        b'{"s":"' + site.encode() + b'","t":"custom","id":"d","u":"https://acme.test/","n":"x","pr":' + b'{"a":' * 1500 + b"1" + b"}" * 1501,
        json.dumps(pageview(site, "/")).replace('"sw": 1920', '"sw": 1e309').encode(),
        json.dumps(pageview(site, "/")).replace('"sw": 1920', '"sw": 123456789012345678901234567890').encode(),
        json.dumps(pageview(site, "/")).replace('"sw": 1920', '"sw": -0.0').encode(),
        b'{"s":"' + site.encode() + b'","t":"engagement","id":"e","u":"https://acme.test/","e":1e400,"sc":-1e400}',
        b"", b"null", b"{}", b'{"batch":[]}', b'{"batch":' + b"[" * 3000 + b"]" * 3000 + b"}", b"\x00" * 100,
    ]
    yield from fixed
    for _ in range(count):
        kind = rng.random()
        if kind < 0.3:
            yield bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600)))
        else:
            body = bytearray(rng.choice(real))
            for _ in range(rng.randrange(1, 8)):
                position = rng.randrange(len(body))
                action = rng.random()
                if action < 0.4:
                    body[position] = rng.randrange(256)
                elif action < 0.7:
                    del body[position]
                else:
                    body[position:position] = rng.choice([b"{", b"[", b'"', b"\\u", b"9" * 40, b"\xc3\x28", b"null", b","])
            yield bytes(body)


def test_fuzzed_beacons_never_crash_the_server_nor_get_a_5xx(server, site_and_key):
    site, _ = site_and_key
    rng = random.Random(20261129)
    session = requests.Session()
    seen = {}
    for body in fuzz_bodies(site, rng, 500):
        status = session.post(server.base + "/e", data=body, headers={"Content-Type": "text/plain", "User-Agent": CHROME_UA},
                              timeout=10).status_code
        assert status < 500, body[:200]
        seen[status] = seen.get(status, 0) + 1
    alphabet = "%&=+/?#aZ0\u00e9\u2603 "
    for _ in range(150):
        query = "&".join(rng.choice(["s", "u", "t", "sw", "r", "x"]) + "=" + "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
                         for _ in range(rng.randrange(6)))
        status = session.get(server.base + "/e.gif?" + query, timeout=10).status_code
        assert status < 500, query
    assert server.process.poll() is None
    assert seen.get(400, 0) > 100
    assert server.beacon(pageview(site, "/after-fuzz")).status_code == 202


def restart_on(data_dir, port):
    server = Server(data_dir)
    server.port, server.base = port, f"http://127.0.0.1:{port}"
    return server.start()


def test_sigkill_under_load_loses_no_acknowledged_beacon_and_stores_none_twice(data_dir, site_and_key):
    site, _ = site_and_key
    rng = random.Random(7)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    acknowledged = {}
    lock = threading.Lock()
    stop = threading.Event()

    def send(worker):
        session = requests.Session()
        sent = 0
        while not stop.is_set():
            with lock:
                retry = acknowledged and rng.random() < 0.1
                event = rng.choice(list(acknowledged.values())) if retry else None
            if event is None:
                sent += 1
                event = pageview(site, f"/w{worker}/{sent}")
            try:
                status = session.post(base + "/e", data=json.dumps(event), timeout=5,
                                      headers={"Content-Type": "text/plain", "User-Agent": f"{CHROME_UA} w{worker}"}).status_code
            except requests.RequestException:
                session = requests.Session()
                time.sleep(0.02)
                continue
            if status == 202:
                with lock:
                    acknowledged[event["id"]] = event

    workers = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for worker in workers:
        worker.start()
    try:
        for _ in range(5):
            server = restart_on(data_dir, port)
            time.sleep(rng.uniform(0.3, 1.2))
            server.stop(signal.SIGKILL)
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    restart_on(data_dir, port).stop()
    assert len(acknowledged) > 50

    with sqlite3.connect(data_dir / "events.sqlite") as db:
        stored = db.execute("SELECT event_id, COUNT(*) FROM events GROUP BY event_id").fetchall()
        visits_before = db.execute(
            "SELECT visitor_id, started_at, ended_at, pageviews, pages FROM visits ORDER BY visitor_id, started_at").fetchall()
    counts = dict(stored)
    assert max(counts.values()) == 1
    assert set(acknowledged) <= set(counts)
    assert sum(v[3] for v in visits_before) == len(counts)
    cli(data_dir, "rebuild-visits", "--site", site)
    with sqlite3.connect(data_dir / "events.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        visits_after = db.execute(
            "SELECT visitor_id, started_at, ended_at, pageviews, pages FROM visits ORDER BY visitor_id, started_at").fetchall()
    assert visits_after == visits_before


@pytest.fixture
def small_mount(tmp_path):
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a size-limited tmpfs (CI runs as root)")
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount_point)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount tmpfs here: {result.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_data_directory_answers_503_then_recovers_without_corruption(small_mount):
    data_dir = small_mount
    site = cli(data_dir, "site", "create", "--name", "Acme", "--domain", "acme.test")
    server = Server(data_dir).start()
    filler = data_dir / "filler"
    try:
        stat = os.statvfs(data_dir)
        with open(filler, "wb") as handle:
            handle.write(b"\0" * (stat.f_bavail * stat.f_frsize - 64 * 1024))
        acknowledged, refused = [], None
        session = requests.Session()
        for n in range(3000):
            event = pageview(site, f"/{n}")
            event["r"] = "https://example.com/" + "x" * 1500
            response = session.post(server.base + "/e", data=json.dumps(event), timeout=10,
                                    headers={"Content-Type": "text/plain", "User-Agent": CHROME_UA})
            if response.status_code == 202:
                acknowledged.append(event["id"])
            else:
                refused = response
                break
        assert refused is not None and refused.status_code == 503, "the disk never filled"
        assert refused.headers["Retry-After"] == "1"
        assert "storing beacons failed" in server.log() and "full" in server.log()
        filler.unlink()
        event = pageview(site, "/after")
        for _ in range(50):
            if server.beacon(event).status_code == 202:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("no recovery after space returned:\n" + server.log()[-2000:])
        acknowledged.append(event["id"])
    finally:
        server.stop()
    with sqlite3.connect(data_dir / "events.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in db.execute("SELECT event_id FROM events")}
    assert set(acknowledged) <= stored
