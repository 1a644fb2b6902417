"""What the /api/v1 endpoints return: raw events, stats, filtered traffic, sites and keys,
and precise 400s for bad parameters and bodies."""
import json

import requests

from conftest import pageview
from test_api_access import call, problem, tenant

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def test_events_stream_as_ndjson_in_time_order(server, data_dir):
    site, key = tenant(data_dir, "alpha")
    for path in ["/", "/pricing", "/contact"]:
        assert server.beacon(pageview(site, path)).status_code == 202
    response = call(server, "GET", "/api/v1/events", key, params={"site": site})
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/x-ndjson"
    events = [json.loads(line) for line in response.text.splitlines()]
    assert [e["path"] for e in events] == ["/", "/pricing", "/contact"]
    assert all(e["type"] == "pageview" and e["site_id"] for e in events)
    last = events[-1]["timestamp"]
    later = call(server, "GET", "/api/v1/events", key, params={"site": site, "from": last}).text.splitlines()
    assert [json.loads(line)["id"] for line in later] == [e["id"] for e in events if e["timestamp"] >= last]
    assert call(server, "GET", "/api/v1/events", key, params={"site": site, "to": events[0]["timestamp"]}).text == ""


def test_stats_over_the_analytics_queries(server, data_dir):
    site, key = tenant(data_dir, "alpha")
    for path in ["/", "/pricing", "/pricing"]:
        assert server.beacon(pageview(site, path, referrer="https://www.google.com/")).status_code == 202
    get = lambda kind, **params: call(server, "GET", f"/api/v1/stats/{kind}", key, params={"site": site, **params})
    series = get("timeseries", interval="hour").json()
    assert series["interval"] == "hour" and len(series["points"]) == 1
    assert (series["points"][0]["visits"], series["points"][0]["pageviews"], series["points"][0]["visitors"]) == (1, 3, 1)
    whole = get("pages").json()
    assert whole["rows"] == [{"value": "/pricing", "count": 2}, {"value": "/", "count": 1}] and whole["next_cursor"] is None
    first = get("pages", limit=1).json()
    assert first["rows"] == [{"value": "/pricing", "count": 2}] and first["next_cursor"]
    second = get("pages", limit=1, cursor=first["next_cursor"]).json()
    assert second["rows"] == [{"value": "/", "count": 1}] and second["next_cursor"] is None
    assert get("pages", cursor="x").status_code == 400
    assert get("sources").json()["rows"] == [{"value": "Google", "count": 1}]
    assert get("devices").json()["rows"] == [{"value": "desktop", "count": 1}]
    assert get("countries").json()["skipped_segments"] == 0
    assert get("organisations").json()["organisations"] == []
    assert get("timeseries", to="2000-01-01").json()["points"] == []


def test_filtered_traffic_by_day_reason_and_family(server, data_dir):
    site, key = tenant(data_dir, "alpha")
    assert server.beacon({"batch": [pageview(site, "/a"), pageview(site, "/b")]}, user_agent=GOOGLEBOT).status_code == 202
    assert server.beacon({**pageview(site, "/"), "wd": True}).status_code == 202
    assert server.beacon(pageview(site, "/private"), headers={"DNT": "1"}).status_code == 202

    def filtered():
        days = call(server, "GET", "/api/v1/filtered", key, params={"site": site}).json()["days"]
        return days if days and days[0]["total"] == 4 else None
    from test_api_access import wait_for
    [day] = wait_for(filtered)
    assert day["dropped"] == [
        {"reason": "bot", "family": "Googlebot", "count": 2},
        {"reason": "bot_webdriver", "family": "WebDriver Chrome", "count": 1},
        {"reason": "do_not_track", "family": "", "count": 1},
    ]


def test_sites_can_be_created_read_and_configured(server, data_dir):
    _, key = tenant(data_dir, "alpha")
    created = call(server, "POST", "/api/v1/sites", key, json={"name": "Shop", "domains": ["https://Shop.test/"]})
    assert created.status_code == 201
    site = created.json()
    assert site["key"].startswith("s_") and site["domains"] == ["shop.test"]
    assert site["settings"]["sample_percent"] == "100"
    patched = call(server, "PATCH", f"/api/v1/sites/{site['key']}", key,
                   json={"sample_percent": 50, "honour_dnt": False, "excluded_paths": "/admin/*"})
    assert patched.status_code == 200, patched.text
    settings = call(server, "GET", f"/api/v1/sites/{site['key']}", key).json()["settings"]
    assert (settings["sample_percent"], settings["honour_dnt"], settings["excluded_paths"]) == ("50", "false", "/admin/*")
    # All or nothing: a bad value stores none of the batch.
    problem(call(server, "PATCH", f"/api/v1/sites/{site['key']}", key, json={"sample_percent": 20, "ip_policy": "keep"}),
            400, "ip_policy: 'keep' is invalid")
    assert call(server, "GET", f"/api/v1/sites/{site['key']}", key).json()["settings"]["sample_percent"] == "50"
    problem(call(server, "PATCH", f"/api/v1/sites/{site['key']}", key, json={"colour": "red"}), 400, "unknown setting 'colour'")
    listed = call(server, "GET", "/api/v1/sites", key, params={"limit": 1})
    assert len(listed.json()["sites"]) == 1 and listed.json()["next_cursor"]
    rest = call(server, "GET", "/api/v1/sites", key, params={"cursor": listed.json()["next_cursor"]}).json()
    assert [s["key"] for s in rest["sites"]] == [site["key"]] and rest["next_cursor"] is None


def test_keys_are_listed_without_secrets(server, data_dir):
    site, key = tenant(data_dir, "alpha")
    made = call(server, "POST", "/api/v1/keys", key,
                json={"scopes": ["stats:read"], "sites": [site], "expires_at": "2099-01-01T00:00:00Z", "name": "bi"})
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["key"]["sites"] == [site] and body["key"]["expires_at"].startswith("2099-01-01")
    listing = call(server, "GET", "/api/v1/keys", key)
    assert body["secret"] not in listing.text
    assert [k["name"] for k in listing.json()["keys"]] == ["cli", "bi"]
    assert call(server, "GET", "/api/v1/visits", body["secret"], params={"site": site}).status_code == 200


def test_bad_parameters_and_bodies_are_precise_400s(server, data_dir):
    site, key = tenant(data_dir, "alpha")
    cases = [
        ("GET", "/api/v1/visits", {"params": {}}, "parameter 'site': required"),
        ("GET", "/api/v1/visits", {"params": {"site": site, "limit": "0"}}, "parameter 'limit': expected an integer from 1 to 1000"),
        ("GET", "/api/v1/visits", {"params": {"site": site, "limit": "abc"}}, "parameter 'limit'"),
        ("GET", "/api/v1/visits", {"params": {"site": site, "cursor": "x"}}, "parameter 'cursor': malformed"),
        ("GET", "/api/v1/stats/pages", {"params": {"site": site, "from": "yesterday"}}, "parameter 'from': expected ISO 8601"),
        ("GET", "/api/v1/stats/pages", {"params": {"site": site, "to": "-5"}}, "parameter 'to'"),
        ("GET", "/api/v1/stats/pages", {"params": {"site": site, "from": "2026-02-01", "to": "2026-01-01"}}, "parameter 'to': must not be before"),
        ("GET", "/api/v1/stats/timeseries", {"params": {"site": site, "interval": "week"}}, "parameter 'interval': expected one of hour, day"),
        ("GET", "/api/v1/events", {"params": {"site": site, "from": "99999999999999999999"}}, "parameter 'from'"),
        ("GET", "/api/v1/audit", {"params": {"cursor": "-1"}}, "parameter 'cursor'"),
        ("POST", "/api/v1/sites", {"data": "{not json"}, "request body: not valid JSON"),
        ("POST", "/api/v1/sites", {"json": {}}, "field 'name' is required"),
        ("POST", "/api/v1/sites", {"json": {"name": 5}}, "field 'name' must be a string"),
        ("POST", "/api/v1/sites", {"json": {"name": "x", "domains": ["not a domain"]}}, "invalid domain 'not a domain'"),
        ("POST", "/api/v1/keys", {"json": {"scopes": ["leads:write"]}}, "field 'scopes': unknown scope 'leads:write'"),
        ("POST", "/api/v1/keys", {"json": {"scopes": []}}, "field 'scopes' must name at least one scope"),
        ("POST", "/api/v1/keys", {"json": {"scopes": ["stats:read"], "expires_at": "2001-01-01"}}, "field 'expires_at' must be in the future"),
        ("DELETE", "/api/v1/keys/abc", {}, "parameter 'id'"),
    ]
    for method, path, kwargs, detail in cases:
        problem(call(server, method, path, key, **kwargs), 400, detail)
    assert requests.get(server.base + "/healthz", timeout=5).status_code == 200


def test_undocumented_methods_are_405_with_allow_and_unknown_paths_404(server, data_dir):
    site, key = tenant(data_dir, "alpha")
    for method, path, allow in [("DELETE", f"/api/v1/sites/{site}", "GET, PATCH"), ("POST", "/api/v1/leads", "GET"),
                                ("PUT", "/api/v1/keys", "GET, POST"), ("GET", "/api/v1/keys/1", "DELETE")]:
        response = call(server, method, path, key)
        body = problem(response, 405, f"{method} is not allowed")
        assert response.headers["Allow"] == allow and body["detail"].endswith(f"allowed: {allow}"), body
    problem(call(server, "GET", "/api/v1/nothing/here", key), 404, "no endpoint GET /api/v1/nothing/here")
    # Authentication still comes first.
    assert requests.delete(f"{server.base}/api/v1/sites/{site}", timeout=10).status_code == 401
