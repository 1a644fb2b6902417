"""The one access layer of /api/v1: tenants, sites and scopes; rate limits; revocation and
expiry; quotas; the audit log. Real server on loopback, real catalog.sqlite."""
import subprocess
import time

import requests

from conftest import BIN, CHROME_UA, Server, cli, pageview

ALL_SCOPES = "leads:read,stats:read,export:run,sites:admin,privacy:admin"


def call(server, method, path, key, headers=None, **kwargs):
    return requests.request(method, server.base + path, headers={"Authorization": f"Bearer {key}", **(headers or {})},
                            timeout=10, **kwargs)


def problem(response, status, detail_part):
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and detail_part in body["detail"], body
    return body


def tenant(data_dir, name):
    """A tenant with one site and an all-scopes key: (site, key)."""
    site = cli(data_dir, "site", "create", "--name", name, "--domain", f"{name}.test", "--tenant", name)
    key = cli(data_dir, "key", "create", "--scope", ALL_SCOPES, "--tenant", name)
    return site, key


def wait_for(predicate, timeout=5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not reached")


SITE_ROUTES = ["/api/v1/visits", "/api/v1/events", "/api/v1/filtered", "/api/v1/leads", "/api/v1/leads/changes"] + [
    f"/api/v1/stats/{kind}" for kind in ["timeseries", "pages", "sources", "devices", "countries", "organisations"]]


def test_another_tenants_sites_and_ids_are_404_on_every_endpoint(data_dir):
    site_a, key_a = tenant(data_dir, "alpha")
    site_b, key_b = tenant(data_dir, "beta")
    server = Server(data_dir).start()
    try:
        assert server.beacon(pageview(site_a, "/pricing")).status_code == 202
        created = call(server, "POST", "/api/v1/keys", key_a, json={"scopes": ["stats:read"], "name": "a2"}).json()["key"]
        for path in SITE_ROUTES:
            own = call(server, "GET", path, key_b, params={"site": site_b})
            # The lead routes arrive with the leads branch; until then they are 404 for everyone.
            if path.startswith("/api/v1/leads") and own.status_code == 404:
                continue
            assert own.status_code == 200, (path, own.text)
            problem(call(server, "GET", path, key_b, params={"site": site_a}), 404, f"no site '{site_a}'")
        problem(call(server, "GET", f"/api/v1/sites/{site_a}", key_b), 404, f"no site '{site_a}'")
        problem(call(server, "PATCH", f"/api/v1/sites/{site_a}", key_b, json={"sample_percent": 5}), 404, "no site")
        problem(call(server, "DELETE", f"/api/v1/keys/{created['id']}", key_b), 404, f"no key {created['id']}")
        problem(call(server, "POST", "/api/v1/keys", key_b, json={"scopes": ["stats:read"], "sites": [site_a]}), 404, "no site")
        # Lists show only the caller's own.
        assert [s["key"] for s in call(server, "GET", "/api/v1/sites", key_b).json()["sites"]] == [site_b]
        assert created["id"] not in [k["id"] for k in call(server, "GET", "/api/v1/keys", key_b).json()["keys"]]
        # Account lists are per tenant: beta replacing its own never touches alpha's.
        headers = {"Content-Type": "text/csv"}
        assert call(server, "PUT", "/api/v1/accounts", key_a, data="domain,name\nalpha.example,Alpha\n", headers=headers).status_code == 200
        assert call(server, "PUT", "/api/v1/accounts", key_b, data="domain,name\n", headers=headers).json()["imported"] == 0
        assert [a["domain"] for a in call(server, "GET", "/api/v1/accounts", key_a).json()["accounts"]] == ["alpha.example"]
        assert call(server, "GET", "/api/v1/accounts", key_b).json()["accounts"] == []
        audit_b = call(server, "GET", "/api/v1/audit", key_b).json()["entries"]
        assert all(entry["target"] != site_a or entry["status"] == 404 for entry in audit_b)
        # Alpha's key still works on alpha's data and was not revoked.
        assert call(server, "GET", "/api/v1/visits", key_a, params={"site": site_a}).json()["visits"]
        assert call(server, "GET", f"/api/v1/sites/{site_a}", key_a).json()["key"] == site_a
    finally:
        server.stop()


def test_a_key_restricted_to_one_site_sees_only_that_site(data_dir):
    site_a, key_a = tenant(data_dir, "alpha")
    other = cli(data_dir, "site", "create", "--name", "other", "--tenant", "alpha")
    restricted = cli(data_dir, "key", "create", "--scope", "stats:read,sites:admin", "--site", site_a, "--tenant", "alpha")
    server = Server(data_dir).start()
    try:
        assert call(server, "GET", "/api/v1/visits", restricted, params={"site": site_a}).status_code == 200
        problem(call(server, "GET", "/api/v1/visits", restricted, params={"site": other}), 404, f"no site '{other}'")
        assert [s["key"] for s in call(server, "GET", "/api/v1/sites", restricted).json()["sites"]] == [site_a]
        problem(call(server, "POST", "/api/v1/sites", restricted, json={"name": "x"}), 403, "restricted")
        # Keys it creates inherit the restriction.
        made = call(server, "POST", "/api/v1/keys", restricted, json={"scopes": ["stats:read"]}).json()
        assert made["key"]["sites"] == [site_a]
        problem(call(server, "GET", "/api/v1/visits", made["secret"], params={"site": other}), 404, "no site")
        # It lists and revokes only keys it covers: not the tenant's key for every site.
        everything = call(server, "GET", "/api/v1/keys", key_a).json()["keys"]
        wide = next(k for k in everything if key_a.startswith(k["prefix"]) and k["sites"] is None)
        visible = [k["id"] for k in call(server, "GET", "/api/v1/keys", restricted).json()["keys"]]
        assert wide["id"] not in visible and made["key"]["id"] in visible
        problem(call(server, "DELETE", f"/api/v1/keys/{wide['id']}", restricted), 404, f"no key {wide['id']}")
        assert call(server, "GET", "/api/v1/visits", key_a, params={"site": site_a}).status_code == 200
        assert call(server, "DELETE", f"/api/v1/keys/{made['key']['id']}", restricted).status_code == 200
    finally:
        server.stop()


def test_missing_scopes_are_403_naming_the_scope(data_dir):
    site, _ = tenant(data_dir, "alpha")
    stats_only = cli(data_dir, "key", "create", "--scope", "stats:read", "--tenant", "alpha")
    export_only = cli(data_dir, "key", "create", "--scope", "export:run", "--tenant", "alpha")
    server = Server(data_dir).start()
    try:
        for method, path, kwargs in [
            ("GET", "/api/v1/events", {"params": {"site": site}}), ("GET", "/api/v1/sites", {}),
            ("POST", "/api/v1/sites", {"json": {"name": "x"}}), ("GET", f"/api/v1/sites/{site}", {}),
            ("PATCH", f"/api/v1/sites/{site}", {"json": {}}), ("GET", "/api/v1/keys", {}),
            ("POST", "/api/v1/keys", {"json": {"scopes": ["stats:read"]}}), ("DELETE", "/api/v1/keys/1", {}),
            ("GET", "/api/v1/audit", {}), ("GET", "/api/v1/usage", {}),
        ]:
            body = problem(call(server, method, path, stats_only, **kwargs), 403, "lacks the")
            assert ("export:run" if path == "/api/v1/events" else "sites:admin") in body["detail"], (path, body)
        for path in ["/api/v1/visits", "/api/v1/filtered", "/api/v1/stats/pages"]:
            problem(call(server, "GET", path, export_only, params={"site": site}), 403, "'stats:read' scope")
        leads = call(server, "GET", "/api/v1/leads", stats_only, params={"site": site})
        assert leads.status_code in (403, 404)  # 404 only until the leads routes are merged
        # A key cannot hand out scopes it lacks.
        admin = cli(data_dir, "key", "create", "--scope", "sites:admin,stats:read", "--tenant", "alpha")
        problem(call(server, "POST", "/api/v1/keys", admin, json={"scopes": ["export:run"]}), 403, "'export:run'")
    finally:
        server.stop()


def test_unauthenticated_requests_are_401(server, site_and_key):
    site, key = site_and_key
    problem(requests.get(server.base + "/api/v1/visits", params={"site": site}, timeout=5), 401, "missing Authorization")
    problem(requests.get(server.base + "/api/v1/visits", headers={"Authorization": "Basic abc"}, timeout=5), 401, "Bearer")
    problem(call(server, "GET", "/api/v1/visits", key + "x", params={"site": site}), 401, "unknown, revoked or expired")


def test_rate_limit_headers_then_429_with_retry_after(data_dir):
    site, key = tenant(data_dir, "alpha")
    _, other_key = tenant(data_dir, "beta")
    server = Server(data_dir, ["--api-rate-limit", "5"]).start()
    try:
        remaining = []
        for _ in range(5):
            response = call(server, "GET", "/api/v1/visits", key, params={"site": site})
            assert response.status_code == 200
            assert response.headers["RateLimit-Limit"] == "5"
            remaining.append(int(response.headers["RateLimit-Remaining"]))
            assert 0 < int(response.headers["RateLimit-Reset"]) <= 60
        assert remaining == [4, 3, 2, 1, 0]
        limited = call(server, "GET", "/api/v1/visits", key, params={"site": site})
        problem(limited, 429, "rate limit of 5 requests per minute")
        assert 1 <= int(limited.headers["Retry-After"]) <= 12  # one token per 12 s
        assert limited.headers["RateLimit-Remaining"] == "0"
        # Buckets are per key.
        assert call(server, "GET", "/api/v1/usage", other_key).status_code == 200
    finally:
        server.stop()


def test_revocation_is_effective_at_once(data_dir):
    site, admin = tenant(data_dir, "alpha")
    server = Server(data_dir).start()
    try:
        made = call(server, "POST", "/api/v1/keys", admin, json={"scopes": ["stats:read"], "name": "temp"})
        assert made.status_code == 201
        secret, key_id = made.json()["secret"], made.json()["key"]["id"]
        assert secret.startswith("ff_live_")
        assert call(server, "GET", "/api/v1/visits", secret, params={"site": site}).status_code == 200
        revoked = call(server, "DELETE", f"/api/v1/keys/{key_id}", admin)
        assert revoked.status_code == 200 and revoked.json()["revoked_at"]
        problem(call(server, "GET", "/api/v1/visits", secret, params={"site": site}), 401, "revoked")
        # And from the CLI, against the running server.
        cli_key = cli(data_dir, "key", "create", "--scope", "stats:read", "--tenant", "alpha")
        assert call(server, "GET", "/api/v1/visits", cli_key, params={"site": site}).status_code == 200
        listed = cli(data_dir, "key", "list", "--tenant", "alpha").splitlines()
        cli_id = next(line.split("\t")[0] for line in listed if line.split("\t")[1] == cli_key[:12] + "…")
        cli(data_dir, "key", "revoke", cli_id, "--tenant", "alpha")
        problem(call(server, "GET", "/api/v1/visits", cli_key, params={"site": site}), 401, "revoked")
        assert "revoked" in cli(data_dir, "key", "list", "--tenant", "alpha")
    finally:
        server.stop()


def test_expired_keys_stop_working(data_dir):
    site, _ = tenant(data_dir, "alpha")
    expires = int(time.time() * 1000) + 2500
    key = cli(data_dir, "key", "create", "--scope", "stats:read", "--expires", str(expires), "--tenant", "alpha")
    server = Server(data_dir).start()
    try:
        assert call(server, "GET", "/api/v1/visits", key, params={"site": site}).status_code == 200
        time.sleep(max(0, expires / 1000 - time.time()) + 0.2)
        problem(call(server, "GET", "/api/v1/visits", key, params={"site": site}), 401, "expired")
        assert "\texpired" in cli(data_dir, "key", "list", "--tenant", "alpha")
    finally:
        server.stop()


def test_every_request_is_audited_without_secrets(data_dir):
    site, key = tenant(data_dir, "alpha")
    server = Server(data_dir).start()
    try:
        call(server, "GET", "/api/v1/events", key, params={"site": site})
        call(server, "PATCH", f"/api/v1/sites/{site}", key, json={"sample_percent": 50})
        made = call(server, "POST", "/api/v1/keys", key, json={"scopes": ["stats:read"]}).json()
        call(server, "DELETE", f"/api/v1/keys/{made['key']['id']}", key)
        call(server, "GET", "/api/v1/visits", key, params={"site": site, "limit": "0"})

        def audited():
            entries = call(server, "GET", "/api/v1/audit", key).json()["entries"]
            return entries if len([e for e in entries if e["route"] and e["action"] != "audit.read"]) >= 5 else None
        entries = [e for e in wait_for(audited) if e["route"] and e["action"] != "audit.read"]
        rows = [(e["action"], e["route"], e["target"], e["status"]) for e in reversed(entries)]
        assert rows == [
            ("events.read", "/api/v1/events", site, 200),
            ("sites.update", "/api/v1/sites/{key}", site, 200),
            ("keys.create", "/api/v1/keys", "", 201),
            ("keys.delete", "/api/v1/keys/{id}", str(made["key"]["id"]), 200),
            ("visits.read", "/api/v1/visits", site, 400),
        ]
        own_id = next(k["id"] for k in call(server, "GET", "/api/v1/keys", key).json()["keys"] if key.startswith(k["prefix"]))
        assert {e["key_id"] for e in entries} == {own_id}
        assert all(e["actor"] == f"key {key[:12]}…" for e in entries)
        text = call(server, "GET", "/api/v1/audit", key).text + cli(data_dir, "audit", "--tenant", "alpha")
        assert key not in text and made["secret"] not in text and key[12:20] not in text
        assert "/api/v1/sites/{key}\t" + site + "\t200" in cli(data_dir, "audit", "--tenant", "alpha")
        # last_used_at is recorded off the request path too.
        keys = call(server, "GET", "/api/v1/keys", key).json()["keys"]
        assert next(k for k in keys if k["id"] == own_id)["last_used_at"]
    finally:
        server.stop()
    catalog = (data_dir / "catalog.sqlite").read_bytes() + (data_dir / "catalog.sqlite-wal").read_bytes() \
        if (data_dir / "catalog.sqlite-wal").exists() else (data_dir / "catalog.sqlite").read_bytes()
    assert key.encode() not in catalog and made["secret"].encode() not in catalog


def test_monthly_quotas_for_api_calls_and_visitors(data_dir):
    site, key = tenant(data_dir, "alpha")
    assert "visitors=1" in cli(data_dir, "quota", "--tenant", "alpha", "--api-calls", "4", "--visitors", "1")
    server = Server(data_dir).start()
    try:
        assert server.beacon(pageview(site, "/first")).status_code == 202
        # A second visitor (another browser) is over the visitor quota: accepted, not stored.
        other_browser = CHROME_UA.replace("Chrome/126", "Chrome/127")
        assert server.beacon(pageview(site, "/second"), user_agent=other_browser).status_code == 202
        # The first visitor keeps being tracked.
        assert server.beacon(pageview(site, "/again")).status_code == 202
        metrics = requests.get(server.base + "/metrics", timeout=5).text
        assert 'footfall_events_dropped_total{reason="quota"} 1' in metrics

        usage = call(server, "GET", "/api/v1/usage", key).json()
        assert usage["visitors"] == 1 and usage["visitors_quota"] == 1
        assert usage["api_calls"] == 1 and usage["api_calls_quota"] == 4
        visits = call(server, "GET", "/api/v1/visits", key, params={"site": site}).json()["visits"]
        assert [p["path"] for v in visits for p in v["pages"]] == ["/first", "/again"]
        assert call(server, "GET", "/api/v1/usage", key).json()["api_calls"] == 3
        assert call(server, "GET", "/api/v1/usage", key).status_code == 200
        over = call(server, "GET", "/api/v1/usage", key)
        problem(over, 429, "monthly API call quota")
        assert int(over.headers["Retry-After"]) > 0
    finally:
        server.stop()
    # Usage survives a restart.
    cli(data_dir, "quota", "--tenant", "alpha", "--api-calls", "none")
    restarted = Server(data_dir).start()
    try:
        usage = call(restarted, "GET", "/api/v1/usage", key).json()
        assert (usage["api_calls"], usage["api_calls_quota"], usage["visitors"]) == (5, None, 1)
    finally:
        restarted.stop()


def test_nul_characters_and_unknown_fields_are_refused_and_the_audit_chain_holds(data_dir):
    site, key = tenant(data_dir, "alpha")
    server = Server(data_dir).start()
    try:
        # %00 in a query or path parameter: 400 naming it (storage would cut the text at the NUL).
        problem(call(server, "GET", "/api/v1/visits", key, params={"site": "\x00"}), 400, "'site'")
        problem(call(server, "GET", "/api/v1/sites/s_x%00y", key), 400, "NUL")
        problem(call(server, "POST", "/api/v1/sites", key, json={"name": "x\x00y"}), 400, "field 'name' contains a NUL")
        # A misspelt field never silently makes a key without expiry or for every site.
        problem(call(server, "POST", "/api/v1/keys", key, json={"scopes": ["stats:read"], "expires": "2030-01-01"}),
                400, "unknown field 'expires'")
        problem(call(server, "POST", "/api/v1/keys", key, json={"scopes": ["stats:read"], "site": [site]}),
                400, "unknown field 'site'")
        problem(call(server, "POST", "/api/v1/sites", key, json={"name": "Z", "domain": "z.example"}),
                400, "unknown field 'domain'")
        assert [s["key"] for s in call(server, "GET", "/api/v1/sites", key).json()["sites"]] == [site]
        # Ingest: a NUL in a text field is a 400, not a truncated id that swallows the next event.
        response = server.beacon({"s": site, "t": "pageview", "id": "nu\x001", "u": "https://alpha.test/"})
        assert response.status_code == 400 and "NUL" in response.text, response.text
    finally:
        server.stop()
    # Every refused request was audited with text the chain's hashes still match.
    verified = subprocess.run([BIN, "audit", "verify", "--data", str(data_dir)], capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0 and "audit chain ok" in verified.stdout, verified.stdout + verified.stderr


def test_a_mistyped_tenant_or_data_directory_is_an_error_not_a_new_one(data_dir, tmp_path):
    def footfall(*args, data=data_dir):
        return subprocess.run([BIN, *args, "--data", str(data)], capture_output=True, text=True, timeout=60)
    tenant(data_dir, "alpha")
    for args in (["key", "list", "--tenant", "alpah"], ["quota", "--tenant", "alpah", "--api-calls", "5"],
                 ["audit", "--tenant", "alpah"], ["sink", "list", "--tenant", "alpah"]):
        result = footfall(*args)
        assert result.returncode != 0 and "unknown tenant 'alpah' (tenants: alpha)" in result.stderr, (args, result.stderr)
    # Creating a key (or a site) for a new tenant is how a tenant starts: said, not silent.
    created = footfall("key", "create", "--scopes", "sites:admin", "--tenant", "beta")
    assert created.returncode == 0 and created.stdout.startswith("ff_live_") and "created tenant 'beta'" in created.stderr
    assert footfall("key", "list", "--tenant", "beta").returncode == 0
    nowhere = tmp_path / "nowhere"
    for args in (["key", "list"], ["site", "list"], ["audit"], ["audit", "verify"]):
        result = footfall(*args, data=nowhere)
        assert result.returncode != 0 and f"no Footfall data in {nowhere}" in result.stderr, (args, result.stderr)
    assert not nowhere.exists()
