"""Real-world traffic through the real server (issue 11): valid beacons that used to be
refused, over-long URLs, one path per page, hash routes, www/bare domains, payment hops
and people whose User-Agent looks odd. Each test asserts what was stored, read back
through the API."""
import time
import uuid

import requests

from conftest import CHROME_UA, cli, pageview


def visits(server, site, key):
    response = server.api("/api/v1/visits", key, site=site)
    assert response.status_code == 200, response.text
    return response.json()["visits"]


def known(server, site):
    """Waits until the server knows a new site key (it reads the catalog at most once a second)."""
    deadline = time.monotonic() + 10
    while requests.get(f"{server.base}/c/{site}.json", timeout=5).status_code != 200:
        assert time.monotonic() < deadline, "site not known"
        time.sleep(0.2)
    return site


def event(site, url, referrer="", **fields):
    return {"s": site, "t": "pageview", "id": uuid.uuid4().hex, "u": url, "p": uuid.uuid4().hex, "r": referrer,
            **fields}


def test_numbers_zero_and_one_are_accepted_in_every_numeric_field(server, site_and_key):
    site, key = site_and_key
    view = pageview(site, "/zero")
    view.update({"sw": 1, "sh": 0.0, "vw": 0, "vh": 1})
    assert server.beacon(view).status_code == 202
    for engaged, scroll in [(0, 0), (1, 1), (0.0, 1.0)]:
        beacon = {"s": site, "t": "engagement", "id": uuid.uuid4().hex, "u": view["u"], "p": view["p"],
                  "e": engaged, "sc": scroll}
        response = server.beacon(beacon)
        assert response.status_code == 202, response.text
    pixel = requests.get(server.base + "/e.gif", params={"s": site, "u": "https://acme.test/pixel", "sw": "0", "sh": "1"},
                         headers={"User-Agent": CHROME_UA}, timeout=5)
    assert pixel.status_code == 200
    paths = [page["path"] for visit in visits(server, site, key) for page in visit["pages"]]
    assert paths == ["/zero", "/pixel"]
    refused = server.beacon({**view, "id": uuid.uuid4().hex, "sw": True})
    assert refused.status_code == 400 and "invalid field 'sw'" in refused.text


def test_an_over_long_referrer_is_shortened_counted_and_attributed(server, site_and_key):
    site, key = site_and_key
    baidu = "https://www.baidu.com/link?url=" + "aB3xZ9" * 380 + "&wd=footfall"
    assert len(baidu) > 2300
    response = server.beacon(pageview(site, "/from-baidu", referrer=baidu))
    assert response.status_code == 202, response.text
    [visit] = visits(server, site, key)
    assert (visit["medium"], visit["source"]) == ("search", "Baidu")
    metrics = requests.get(server.base + "/metrics", timeout=5).text
    assert 'footfall_urls_shortened_total{field="r"} 1' in metrics
    # The pixel has no body cap: a 10 KB page URL is shortened too, never refused.
    long_url = "https://acme.test/pixel-page?utm_source=news&q=" + "x" * 10_000
    pixel = requests.get(server.base + "/e.gif", params={"s": site, "u": long_url},
                         headers={"User-Agent": CHROME_UA}, timeout=5)
    assert pixel.status_code == 200, pixel.text
    paths = [page["path"] for visit in visits(server, site, key) for page in visit["pages"]]
    assert "/pixel-page" in paths
    metrics = requests.get(server.base + "/metrics", timeout=5).text
    assert 'footfall_urls_shortened_total{field="u"} 1' in metrics


def test_one_page_is_one_path_however_it_is_spelled(server, site_and_key):
    site, key = site_and_key
    for url in ["https://acme.test/caf%C3%A9", "https://acme.test/caf%c3%a9"]:
        assert server.beacon(event(site, url)).status_code == 202
    pixel = requests.get(server.base + "/e.gif", params={"s": site, "u": "https://acme.test/café"},
                         headers={"User-Agent": CHROME_UA}, timeout=5)
    assert pixel.status_code == 200
    [visit] = visits(server, site, key)
    assert [page["path"] for page in visit["pages"]] == ["/café"] * 3


def test_hash_routed_sites_keep_the_route(server, site_and_key, data_dir):
    site, key = site_and_key
    assert "hash_routing=true" in cli(data_dir, "site", "config", site, "--set", "hash_routing=true")
    time.sleep(6)  # the server re-reads site settings every 5 s
    for route in ["#/settings", "#/billing"]:
        assert server.beacon(event(site, "https://acme.test/" + route)).status_code == 202
    [visit] = visits(server, site, key)
    assert [page["path"] for page in visit["pages"]] == ["/#/settings", "/#/billing"]


def test_www_and_bare_domains_and_payment_hops_keep_one_visit(server, data_dir):
    site = known(server, cli(data_dir, "site", "create", "--name", "Shop", "--domain", "www.shop2.example"))
    key = cli(data_dir, "key", "create", "--scopes", "leads:read,stats:read")
    assert server.beacon(event(site, "https://shop2.example/blog/post", "https://www.google.com/")).status_code == 202
    assert server.beacon(event(site, "https://www.shop2.example/pricing", "https://shop2.example/blog/post")).status_code == 202
    [visit] = visits(server, site, key)
    assert (visit["pageviews"], visit["medium"], visit["source"]) == (2, "search", "Google")

    shop = known(server, cli(data_dir, "site", "create", "--name", "Shop 3", "--domain", "shop3.example"))
    journey = [
        ("https://shop3.example/cart?utm_source=newsletter&utm_medium=email&utm_campaign=spring", ""),
        ("https://shop3.example/checkout", "https://shop3.example/cart"),
        ("https://shop3.example/thank-you", "https://www.paypal.com/"),
    ]
    for url, referrer in journey:
        assert server.beacon(event(shop, url, referrer), user_agent=CHROME_UA.replace("126", "125")).status_code == 202
    [visit] = visits(server, shop, key)
    assert [page["path"] for page in visit["pages"]] == ["/cart", "/checkout", "/thank-you"]
    assert (visit["medium"], visit["source"], visit["campaign"]) == ("email", "newsletter", "spring")


def test_people_with_odd_user_agents_are_stored_not_dropped_as_bots(server, site_and_key):
    site, key = site_and_key
    people = {
        "Mozilla/5.0 (Linux; Android 8.0.0; CUBOT_P20) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/70.0.3538.110 Mobile Safari/537.36": ("Chrome", "Android", "mobile"),
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.2 Mobile/15E148 Safari/605.1 NAVER(inapp; search; 2000; 12.3.6; 14PRO)": ("NAVER", "iOS", "mobile"),
    }
    for index, user_agent in enumerate(people):
        assert server.beacon(pageview(site, f"/person-{index}"), user_agent=user_agent).status_code == 202
    stored = {visit["pages"][0]["path"]: (visit["browser"], visit["os"], visit["device"])
              for visit in visits(server, site, key)}
    assert stored == {"/person-0": people[list(people)[0]], "/person-1": people[list(people)[1]]}
