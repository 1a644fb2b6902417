"""The dashboard: API-key sign-in, tenant-scoped numbers, escaped output."""
import re

import requests

from conftest import Server, cli, pageview


def signed_in(server, key):
    session = requests.Session()
    response = session.post(server.base + "/dashboard/login", data={"key": key}, allow_redirects=False, timeout=10)
    assert response.status_code == 303, response.text
    assert "HttpOnly" in response.headers["Set-Cookie"] and "SameSite=Strict" in response.headers["Set-Cookie"]
    return session


def test_dashboard_requires_a_stats_key(server, site_and_key, data_dir):
    page = requests.get(server.base + "/dashboard", timeout=10)
    assert page.status_code == 200 and 'name="key"' in page.text
    wrong = requests.post(server.base + "/dashboard/login", data={"key": "ff_live_nope"}, allow_redirects=False, timeout=10)
    assert wrong.status_code == 401 and "unknown, revoked or lacks" in wrong.text
    export_only = cli(data_dir, "key", "create", "--scopes", "export:run")
    refused = requests.post(server.base + "/dashboard/login", data={"key": export_only}, allow_redirects=False, timeout=10)
    assert refused.status_code == 401


def test_dashboard_shows_this_tenants_visits_and_escapes_names(server, site_and_key, data_dir):
    site, key = site_and_key
    cli(data_dir, "site", "create", "--name", "Other tenant <b>", "--tenant", "other")
    for path in ["/", "/pricing", "/<script>"]:
        assert server.beacon(pageview(site, path)).status_code == 202
    html = signed_in(server, key).get(server.base + "/dashboard", params={"site": site, "days": 7}, timeout=10).text
    assert re.search(r'id="kpi-visits">1<', html)
    assert re.search(r'id="kpi-pageviews">3<', html)
    assert "/pricing" in html and "&lt;script&gt;" in html and "<script>" not in html.split("<body>")[1]
    assert "Other tenant" not in html
    assert "<svg" in html


def test_leads_are_shown_only_to_keys_with_leads_read(data_dir, site_and_key):
    site, key = site_and_key
    ranges = data_dir / "ranges.csv"
    ranges.write_text("# range,organisation,domain,network_type,country\n"
                      "127.0.0.0/8,Loopback Labs,loopback.example,business,DE\n")
    cli(data_dir, "import-ip-data", str(ranges), "--tenant", "default")
    stats_only = cli(data_dir, "key", "create", "--scopes", "stats:read")
    server = Server(data_dir).start()
    try:
        assert server.beacon(pageview(site, "/pricing")).status_code == 202
        leads = server.api("/api/v1/leads", key, site=site).json()["leads"]
        assert [lead["organisation"] for lead in leads] == ["Loopback Labs"]
        lead_page = f"{server.base}/dashboard/leads/{leads[0]['id']}"
        full = signed_in(server, key)
        assert "Loopback Labs" in full.get(server.base + "/dashboard", params={"site": site}, timeout=10).text
        assert full.get(lead_page, timeout=10).status_code == 200
        # The same pages for a key the Lead API refuses (403 on /api/v1/leads).
        assert server.api("/api/v1/leads", stats_only, site=site).status_code == 403
        limited = signed_in(server, stats_only)
        html = limited.get(server.base + "/dashboard", params={"site": site}, timeout=10).text
        assert 'id="leads-scope"' in html and "Loopback Labs" not in html and 'id="kpi-leads"' not in html
        assert limited.get(lead_page, timeout=10).status_code == 404
    finally:
        server.stop()
