"""Leads end to end: visits from three organisations' IP ranges and one ISP become exactly
three scored, explained leads, read back through the Lead API (list, profile, journeys,
change feed), re-scored by an account import and by site settings, rebuilt from visits."""
import time

import pytest
import requests

from conftest import Server, cli, pageview

RANGES = """# range,organisation,domain,network_type,country
192.0.2.0/26,Alpha Industries,alpha.example,business,DE
192.0.2.64/26,Beta University,beta.example,education,GB
192.0.2.128/26,Gamma Agency,gamma.example,government,FR
198.51.100.0/24,HomeNet Broadband,homenet.example,isp,DE
"""

# (forwarded address, pages in order): Alpha shows the most intent, Gamma the least;
# the ISP visitor reads pricing too but never becomes a lead.
TRAFFIC = [
    ("192.0.2.10", ["/", "/pricing", "/contact", "/demo"]),
    ("192.0.2.11", ["/pricing"]),
    ("192.0.2.70", ["/", "/pricing"]),
    ("192.0.2.130", ["/"]),
    ("198.51.100.5", ["/pricing", "/contact", "/demo", "/pricing"]),
]


@pytest.fixture
def lead_server(data_dir, site_and_key):
    ranges = data_dir / "ranges.csv"
    ranges.write_text(RANGES)
    cli(data_dir, "import-ip-data", str(ranges), "--tenant", "default")
    running = Server(data_dir, ["--trusted-proxy", "127.0.0.1"]).start()
    site, _ = site_and_key
    for address, pages in TRAFFIC:
        for path in pages:
            response = running.beacon(pageview(site, path), headers={"X-Forwarded-For": address})
            assert response.status_code == 202, response.text
    yield running
    running.stop()


def leads(server, key, **params):
    response = server.api("/api/v1/leads", key, **params)
    assert response.status_code == 200, response.text
    return response.json()


def test_three_organisations_become_three_leads_ordered_by_score(lead_server, site_and_key):
    site, key = site_and_key
    body = leads(lead_server, key, site=site)
    names = [lead["organisation"] for lead in body["leads"]]
    assert names == ["Alpha Industries", "Beta University", "Gamma Agency"]
    assert body.get("next_cursor") is None
    alpha, beta, gamma = body["leads"]
    assert alpha["score"] > beta["score"] > gamma["score"] > 0
    for lead in body["leads"]:
        assert lead["id"].startswith("ld_")
        assert sum(line["points"] for line in lead["score_explanation"]) == lead["score"]
        assert lead["target_account"] is False
    assert (alpha["domain"], alpha["network_type"], alpha["country"]) == ("alpha.example", "business", "DE")
    assert (alpha["visits"], alpha["visitors"], alpha["pageviews"]) == (2, 2, 5)
    assert alpha["key_pages"] == {"/pricing*": 2, "/contact*": 1, "/demo*": 1}
    assert {"signal": "key_page:/demo*", "value": "1 view", "points": 15} in alpha["score_explanation"]
    assert beta["network_type"] == "education" and gamma["network_type"] == "government"

    # Filters, sort and paging.
    assert [l["organisation"] for l in leads(lead_server, key, site=site, min_score=beta["score"])["leads"]] == \
        ["Alpha Industries", "Beta University"]
    assert [l["organisation"] for l in leads(lead_server, key, site=site, network_type="government")["leads"]] == ["Gamma Agency"]
    assert [l["organisation"] for l in leads(lead_server, key, site=site, page="/contact*")["leads"]] == ["Alpha Industries"]
    assert [l["organisation"] for l in leads(lead_server, key, site=site, sort="score")["leads"]] == \
        ["Gamma Agency", "Beta University", "Alpha Industries"]
    first = leads(lead_server, key, site=site, limit=2)
    second = leads(lead_server, key, site=site, limit=2, cursor=first["next_cursor"])
    assert [l["id"] for l in first["leads"] + second["leads"]] == [l["id"] for l in body["leads"]]
    assert second.get("next_cursor") is None


def test_profile_journeys_and_change_feed(lead_server, site_and_key, data_dir):
    site, key = site_and_key
    alpha = leads(lead_server, key, site=site)["leads"][0]
    profile = lead_server.api(f"/api/v1/leads/{alpha['id']}", key)
    assert profile.status_code == 200 and profile.json() == alpha

    journeys = lead_server.api(f"/api/v1/leads/{alpha['id']}/visits", key).json()
    assert len(journeys["visits"]) == 2
    paths = sorted([page["path"] for page in visit["pages"]] for visit in journeys["visits"])
    assert paths == [["/", "/pricing", "/contact", "/demo"], ["/pricing"]]
    assert all("time_on_page_ms" in page for visit in journeys["visits"] for page in visit["pages"])

    changes = lead_server.api("/api/v1/leads/changes", key, site=site).json()
    assert sorted(lead["organisation"] for lead in changes["changes"]) == ["Alpha Industries", "Beta University", "Gamma Agency"]
    seqs = [lead["change_seq"] for lead in changes["changes"]]
    assert seqs == sorted(seqs) and changes["next_cursor"] == str(seqs[-1])
    assert lead_server.api("/api/v1/leads/changes", key, site=site, cursor=changes["next_cursor"]).json()["changes"] == []

    # Another tenant neither sees the lead nor learns that it exists.
    other_site = cli(data_dir, "site", "create", "--name", "Other", "--domain", "other.test", "--tenant", "other")
    other_key = cli(data_dir, "key", "create", "--scopes", "leads:read", "--tenant", "other")
    assert lead_server.api(f"/api/v1/leads/{alpha['id']}", other_key).status_code == 404
    assert lead_server.api(f"/api/v1/leads/{alpha['id']}/visits", other_key).status_code == 404
    assert lead_server.api("/api/v1/leads", other_key, site=site).status_code == 404
    assert leads(lead_server, other_key, site=other_site)["leads"] == []
    assert lead_server.api("/api/v1/leads/changes", other_key).json()["changes"] == []
    stats_only = cli(data_dir, "key", "create", "--scopes", "stats:read")
    assert lead_server.api("/api/v1/leads", stats_only).status_code == 403


@pytest.mark.parametrize("params, name", [
    ({"min_score": "abc"}, "min_score"), ({"min_score": "101"}, "min_score"), ({"limit": "0"}, "limit"),
    ({"limit": "1001"}, "limit"), ({"sort": "name"}, "sort"), ({"cursor": "zzz"}, "cursor"),
    ({"network_type": "castle"}, "network_type"), ({"from": "yesterday"}, "from"), ({"page": "pricing"}, "page"),
    ({"country": "Germany"}, "country"), ({"target_account": "maybe"}, "target_account"), ({"tier": "9"}, "tier"),
])
def test_bad_parameters_are_400_problems_naming_the_parameter(server, site_and_key, params, name):
    site, key = site_and_key
    response = server.api("/api/v1/leads", key, site=site, **params)
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith(f"parameter '{name}'")
    changes = server.api("/api/v1/leads/changes", key, site=site, cursor="-1")
    assert changes.status_code == 400 and "cursor" in changes.json()["detail"]


def test_accounts_settings_and_rebuild_rescore_and_announce(lead_server, site_and_key, data_dir):
    site, key = site_and_key
    before = {l["organisation"]: l for l in leads(lead_server, key, site=site)["leads"]}
    last_seq = max(l["change_seq"] for l in before.values())

    accounts = data_dir / "accounts.csv"
    accounts.write_text("domain,name,industry,employees,owner,tier\n"
                        "gamma.example,Gamma Agency,Government,5000,ana@seller.example,1\n")
    assert "1 leads re-scored" in cli(data_dir, "accounts", "import", str(accounts), "--tenant", "default")
    gamma = leads(lead_server, key, site=site, target_account="true")["leads"]
    assert [l["organisation"] for l in gamma] == ["Gamma Agency"]
    assert gamma[0]["account"]["tier"] == "1" and gamma[0]["target_account"] is True
    assert gamma[0]["score"] == before["Gamma Agency"]["score"] + 25
    assert {"signal": "fit:tier", "value": "tier 1", "points": 15} in gamma[0]["score_explanation"]
    changes = lead_server.api("/api/v1/leads/changes", key, cursor=str(last_seq)).json()["changes"]
    assert [l["organisation"] for l in changes] == ["Gamma Agency"]

    bad = data_dir / "bad.csv"
    bad.write_text("domain,name,tier\nok.example,OK,1\nbroken,Broken,2\n")
    import subprocess
    from conftest import BIN
    result = subprocess.run([BIN, "accounts", "import", str(bad), "--data", str(data_dir)], capture_output=True, text=True)
    assert result.returncode != 0 and "line 3: invalid domain 'broken'" in result.stderr
    assert leads(lead_server, key, site=site, target_account="true")["leads"][0]["organisation"] == "Gamma Agency"

    # A live settings change re-scores within the sync interval (5 s).
    cli(data_dir, "site", "config", site, "--set", "lead_key_pages=/demo*:60")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        alpha = leads(lead_server, key, site=site, network_type="business")["leads"][0]
        if alpha["key_pages"] == {"/demo*": 1}:
            break
        time.sleep(0.5)
    assert alpha["key_pages"] == {"/demo*": 1}
    assert {"signal": "key_page:/demo*", "value": "1 view", "points": 60} in alpha["score_explanation"]

    current = {l["id"]: l for l in leads(lead_server, key, site=site)["leads"]}
    assert "rebuilt 3 leads" in cli(data_dir, "rebuild-leads", "--site", site)
    rebuilt = {l["id"]: l for l in leads(lead_server, key, site=site)["leads"]}
    strip = lambda l: {k: v for k, v in l.items() if k not in ("change_seq", "updated_at", "score", "score_explanation")}
    assert {i: strip(l) for i, l in rebuilt.items()} == {i: strip(l) for i, l in current.items()}
    assert all(rebuilt[i]["change_seq"] > current[i]["change_seq"] for i in current)


def test_accounts_api_replaces_the_list_whole_and_rescores(lead_server, site_and_key, data_dir):
    site, key = site_and_key
    admin = cli(data_dir, "key", "create", "--scopes", "sites:admin")
    restricted = cli(data_dir, "key", "create", "--scopes", "sites:admin", "--site", site)
    url = lead_server.base + "/api/v1/accounts"

    def put(body, token, content_type="text/csv; charset=utf-8"):
        return requests.put(url, data=body, timeout=10,
                            headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})

    csv = ("\ufeffdomain,name,industry,employees,owner,tier\r\n"
           "beta.example,Beta University,Education,,ben@seller.example,2\r\n"
           "alpha.example,\"Alpha, Inc.\",Manufacturing,1200,ana@seller.example,1\r\n").encode()
    assert put(csv, key).status_code == 403  # leads:read cannot change the list
    assert put(csv, restricted).status_code == 403  # the list belongs to the whole tenant
    answer = put(csv, admin)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"imported": 2, "rescored": 2}
    listed = lead_server.api("/api/v1/accounts", key, limit=1).json()
    assert listed["accounts"] == [{"domain": "alpha.example", "name": "Alpha, Inc.", "industry": "Manufacturing",
                                   "employees": 1200, "owner": "ana@seller.example", "tier": "1"}]
    rest = lead_server.api("/api/v1/accounts", key, limit=1, cursor=listed["next_cursor"]).json()
    assert [a["domain"] for a in rest["accounts"]] == ["beta.example"] and rest["next_cursor"] is None
    targets = leads(lead_server, key, site=site, target_account="true")["leads"]
    assert sorted(l["organisation"] for l in targets) == ["Alpha Industries", "Beta University"]

    bad = put(b"domain,name,tier\nok.example,OK,1\nbroken,Broken,2\n", admin)
    assert bad.status_code == 400 and bad.headers["Content-Type"].startswith("application/problem+json")
    assert "line 3: invalid domain 'broken'; nothing imported" in bad.json()["detail"]
    assert "not UTF-8" in put(b"domain,name\nm\xfcller.example,M\n", admin).json()["detail"]
    assert put(b'{"domain": "x.example"}', admin, content_type="application/json").status_code == 400
    still = lead_server.api("/api/v1/accounts", key).json()["accounts"]
    assert [a["domain"] for a in still] == ["alpha.example", "beta.example"]


def test_dashboard_shows_the_leads_and_each_visits_journey_in_chromium(lead_server, site_and_key, data_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from test_tracker_browser import chrome

    site, key = site_and_key
    expected = leads(lead_server, key, site=site)["leads"]
    browser = chrome(data_dir)
    try:
        browser.get(lead_server.base + "/dashboard")
        browser.find_element(By.NAME, "key").send_keys(key)
        browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.ID, "kpi-leads"))
        rows = browser.find_elements(By.CSS_SELECTOR, "#leads tr.lead")
        assert [row.get_attribute("data-lead") for row in rows] == [lead["id"] for lead in expected]
        assert browser.find_element(By.ID, "kpi-leads").text == "3"
        alpha = rows[0]
        assert alpha.find_element(By.CSS_SELECTOR, ".score").text == str(expected[0]["score"])
        bar = alpha.find_element(By.CSS_SELECTOR, ".bar span")
        assert bar.size["width"] > 0
        assert "/pricing* ×2" in alpha.find_element(By.CSS_SELECTOR, ".key-pages").text
        explanation = alpha.find_element(By.CSS_SELECTOR, ".explanation")
        assert not explanation.is_displayed()
        alpha.find_element(By.TAG_NAME, "summary").click()
        assert explanation.is_displayed()
        lines = [item.text for item in explanation.find_elements(By.TAG_NAME, "li")]
        assert "key_page:/demo* (1 view): +15" in lines
        assert sum(int(line.rsplit(": ", 1)[1]) for line in lines) == expected[0]["score"]

        alpha.find_element(By.LINK_TEXT, "Alpha Industries").click()
        WebDriverWait(browser, 10).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".journey"))
        assert browser.find_element(By.TAG_NAME, "h1").text == "Alpha Industries"
        journeys = browser.find_elements(By.CSS_SELECTOR, ".journey")
        assert len(journeys) == 2
        pages = sorted([cell.text for cell in journey.find_elements(By.CSS_SELECTOR, "tr td:first-child")] for journey in journeys)
        assert pages == [["/", "/pricing", "/contact", "/demo"], ["/pricing"]]
        assert "direct" in journeys[0].find_element(By.TAG_NAME, "h3").text
    finally:
        browser.quit()
