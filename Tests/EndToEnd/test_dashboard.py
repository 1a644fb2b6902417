"""The dashboard: API-key sign-in, tenant-scoped numbers, escaped output."""
import re

import requests

from conftest import cli, pageview


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
