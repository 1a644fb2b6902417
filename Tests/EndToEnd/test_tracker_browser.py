"""Real-browser tests: headless Chromium runs the served tracker (`/t.js`) on the pages in
Fixtures/site, served from a second loopback origin like a customer's website, and every
test asserts what the Footfall server stored, read back through the API (visits) and,
for per-event details the visit summary does not carry (click targets, custom event
names, geo readings), from the server's event log opened read-only.

One browser and one server serve the whole module; each test gets its own site, so
visits of different tests never mix.

The server embeds the tracker at build time (`make tracker` regenerates the bundle). To run
these tests against a tracker built since, without rebuilding the server, set
FOOTFALL_TRACKER=TrackerJS/dist/footfall.min.js: pages then load it through a pass-through
proxy in front of the server (`TrackerOverride`).
"""
import http.server
import json
import os
import pathlib
import re
import sqlite3
import threading
import time

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from conftest import CHROME_UA, Server, cli

SITE_DIR = pathlib.Path(__file__).resolve().parents[2] / "Fixtures" / "site"
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
TRACKER = os.environ.get("FOOTFALL_TRACKER")


class CustomerSite:
    """The fixture website on 127.0.0.1, with its tag pointing at Footfall and carrying the
    current test's site key. Paths under /app/ fall back to app.html (a client-side router)."""

    def __init__(self, footfall_base):
        self.footfall_base = footfall_base
        self.site_key = ""
        site = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.split("?")[0].lstrip("/") or "index.html"
                if path.startswith("app/"):
                    path = "app.html"
                file = SITE_DIR / path
                if not file.is_file() or SITE_DIR not in file.resolve().parents:
                    self.send_error(404)
                    return
                body = file.read_bytes()
                headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
                if file.suffix == ".html":
                    body = (body.decode()
                            .replace("{{FOOTFALL}}", site.footfall_base)
                            .replace("{{SITE}}", site.site_key)
                            .replace("{{OUTSIDE}}", f"http://localhost:{site.port}")
                            .encode())
                else:
                    headers = {"Content-Type": "application/pdf", "Content-Disposition": "attachment"}
                self.send_response(200)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class TrackerOverride:
    """The Footfall server as pages see it, except that `/t.js` is the file at TRACKER."""

    def __init__(self, footfall_base):
        class Handler(http.server.BaseHTTPRequestHandler):
            def forward(self):
                if self.path.split("?")[0] == "/t.js":
                    status, headers, body = 200, {"Content-Type": "text/javascript"}, pathlib.Path(TRACKER).read_bytes()
                else:
                    length = int(self.headers.get("Content-Length") or 0)
                    response = requests.request(
                        self.command, footfall_base + self.path, data=self.rfile.read(length) if length else None,
                        headers={k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")},
                        allow_redirects=False, timeout=10)
                    status, body = response.status_code, response.content   # decoded: drop the encoding
                    headers = {k: v for k, v in response.headers.items()
                               if k.lower() not in ("content-length", "content-encoding", "transfer-encoding", "connection")}
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_OPTIONS = forward

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def chrome(tmp_dir, do_not_track=False):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,800", f"--user-agent={CHROME_UA}",
                     # Selenium sets navigator.webdriver, which the tracker reports as `wd` and
                     # the server may treat as a bot signal: these tests act as a visitor.
                     "--disable-blink-features=AutomationControlled"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "enable_do_not_track": do_not_track,
        "download.default_directory": str(tmp_dir), "download.prompt_for_download": False,
    })
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    return driver


@pytest.fixture(scope="module")
def footfall(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("footfall-browser")
    key = cli(data_dir, "key", "create", "--scopes", "stats:read")
    server = Server(data_dir).start()
    yield server, key
    server.stop()


@pytest.fixture(scope="module")
def customer_site(footfall):
    override = TrackerOverride(footfall[0].base) if TRACKER else None
    site = CustomerSite(override.base if override else footfall[0].base)
    yield site
    site.close()
    if override:
        override.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    driver = chrome(tmp_path_factory.mktemp("downloads"))
    yield driver
    driver.quit()


@pytest.fixture
def tracked(footfall, customer_site, browser):
    """A new site allowed on localhost, wired into the fixture pages; yields a `Tracked`."""
    server, key = footfall
    site = new_site(server, "--set", "allow_localhost=true")
    customer_site.site_key = site
    yield Tracked(server, key, site, customer_site, browser)
    # Leave the shared browser with one tab and no page of this test still open.
    for handle in browser.window_handles[1:]:
        browser.switch_to.window(handle)
        browser.close()
    browser.switch_to.window(browser.window_handles[0])
    browser.get("about:blank")


def new_site(server, *config):
    site = cli(server.data_dir, "site", "create", "--name", "Browser test", "--domain", "127.0.0.1")
    if config:
        cli(server.data_dir, "site", "config", site, *config)
    # The server learns new site keys on first use (at most one catalog read per second).
    wait_for(lambda: requests.get(f"{server.base}/c/{site}.json", timeout=5).status_code == 200, "site known")
    return site


def wait_for(condition, what, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Tracked:
    def __init__(self, server, key, site, customer_site, browser):
        self.server, self.key, self.site = server, key, site
        self.pages, self.browser = customer_site, browser

    def open(self, page):
        self.browser.get(f"{self.pages.base}/{page}")
        return self

    def click(self, element_id):
        self.browser.find_element(By.ID, element_id).click()

    def visits(self):
        response = self.server.api("/api/v1/visits", self.key, site=self.site)
        assert response.status_code == 200, response.text
        return response.json()["visits"]

    def visit_when(self, condition, what):
        """The single visit of this test's site once `condition(visit)` holds."""
        def ready():
            visits = self.visits()
            assert len(visits) <= 1, visits
            return visits[0] if visits and condition(visits[0]) else None
        return wait_for(ready, what)

    def events(self, event_type):
        """Stored events of one type, oldest first, from the server's event log (read-only)."""
        data = self.server.data_dir
        with sqlite3.connect(f"file:{data}/catalog.sqlite?mode=ro", uri=True) as catalog:
            (site_id,) = catalog.execute("SELECT id FROM sites WHERE key = ?", (self.site,)).fetchone()
        with sqlite3.connect(f"file:{data}/events.sqlite?mode=ro", uri=True) as events:
            events.row_factory = sqlite3.Row
            return [dict(row) for row in events.execute(
                "SELECT * FROM events WHERE site_id = ? AND type = ? ORDER BY ts, rowid", (site_id, event_type))]

    def hide_tab(self):
        """Switches to a new tab, which hides the page (visibilitychange → hidden)."""
        self.browser.switch_to.new_window("tab")


def test_multi_page_navigation_joins_pages_and_engagement_into_one_visit(tracked):
    tracked.open("index.html")
    wait_for(lambda: tracked.visits(), "first pageview")
    tracked.click("pricing")
    wait_for(lambda: "Pricing" in tracked.browser.title, "pricing page")
    time.sleep(0.3)
    tracked.click("docs")
    wait_for(lambda: "Docs" in tracked.browser.title, "docs page")
    tracked.hide_tab()

    visit = tracked.visit_when(lambda v: v["pageviews"] == 3 and all(p["engaged_ms"] > 0 for p in v["pages"]),
                               "three pages, each with engagement")
    assert [page["path"] for page in visit["pages"]] == ["/index.html", "/pricing.html", "/docs.html"]
    assert (visit["entry_page"], visit["exit_page"]) == ("/index.html", "/docs.html")
    assert visit["browser"] == "Chrome" and visit["device"] == "desktop"
    views = tracked.events("pageview")
    assert [v["referrer"] for v in views[1:]] == [f"{tracked.pages.base}/index.html", f"{tracked.pages.base}/pricing.html"]
    assert len({v["page_load_id"] for v in views}) == 3
    assert [(v["screen_w"] > 0, v["viewport_w"] > 0, v["language"] != "", v["time_zone"] != "") for v in views] \
        == [(True, True, True, True)] * 3
    # Engagement beacons joined their own views (one per page left).
    assert sorted(e["page_load_id"] for e in tracked.events("engagement")) == sorted(v["page_load_id"] for v in views)


def test_spa_navigation_counts_each_route_once(tracked):
    tracked.open("app.html")
    wait_for(lambda: tracked.visits(), "first pageview")
    tracked.click("to-settings")
    tracked.click("same")            # replaceState with a new query on the same path
    tracked.click("to-billing")
    tracked.browser.back()           # popstate back to /app/settings?tab=2
    time.sleep(0.2)
    tracked.hide_tab()

    visit = tracked.visit_when(lambda v: v["pageviews"] >= 4 and len(tracked.events("engagement")) >= 4,
                               "four views and their engagement")
    assert [page["path"] for page in visit["pages"]] == ["/app.html", "/app/settings", "/app/billing", "/app/settings"]
    views = tracked.events("pageview")
    assert [v["spa"] for v in views] == [0, 1, 1, 1]
    assert views[2]["referrer"] == f"{tracked.pages.base}/app/settings"  # the previous view, as viewed


def test_scrolling_and_engaged_time_are_reported_when_the_tab_is_hidden(tracked):
    tracked.open("index.html")
    wait_for(lambda: tracked.visits(), "pageview")
    time.sleep(1.2)
    tracked.browser.execute_script("window.scrollTo(0, document.body.scrollHeight / 2 - innerHeight)")
    time.sleep(0.2)
    assert tracked.events("engagement") == [], "nothing is sent while the visitor is still reading"
    tracked.hide_tab()

    visit = tracked.visit_when(lambda v: v["engaged_ms"] > 0, "engagement after hiding the tab")
    [page] = visit["pages"]
    assert 1000 <= page["engaged_ms"] < 15_000
    assert 40 <= page["max_scroll_percent"] <= 60, page
    assert visit["max_scroll_percent"] == page["max_scroll_percent"]

    # Back to the tab, read to the end, leave: the grown totals replace the first report.
    tracked.browser.switch_to.window(tracked.browser.window_handles[0])
    time.sleep(0.5)
    tracked.browser.execute_script("window.scrollTo(0, document.body.scrollHeight)")
    time.sleep(0.3)
    tracked.browser.get("about:blank")
    visit = tracked.visit_when(lambda v: v["max_scroll_percent"] == 100, "full scroll after leaving")
    assert visit["pages"][0]["engaged_ms"] > page["engaged_ms"]
    assert visit["pageviews"] == 1


def test_outbound_and_download_clicks_are_stored_with_their_targets(tracked):
    tracked.open("index.html")
    wait_for(lambda: tracked.visits(), "pageview")
    tracked.click("docs")            # internal link: a page view, not a click event
    wait_for(lambda: "Docs" in tracked.browser.title, "docs page")
    tracked.click("home")
    wait_for(lambda: "Acme Widgets" == tracked.browser.title, "home again")
    tracked.click("download")
    time.sleep(0.3)
    tracked.click("outbound")
    wait_for(lambda: "Partner" in tracked.browser.title, "partner page")

    visit = tracked.visit_when(lambda v: v["clicks"] == 2, "two clicks")
    targets = [event["click_target"] for event in tracked.events("click")]
    assert targets == [f"download:{tracked.pages.base}/files/brochure.pdf",
                       f"outbound:http://localhost:{tracked.pages.port}/outside.html"]
    assert visit["pageviews"] == 3


def test_custom_events_from_the_queue_stub_the_api_and_tagged_elements(tracked):
    tracked.open("events.html")
    tracked.click("signup")
    tracked.click("newsletter")
    visit = tracked.visit_when(lambda v: v["custom_events"] == 3, "three custom events")
    stored = [(e["custom_name"], json.loads(e["custom_props"])) for e in tracked.events("custom")]
    assert sorted(stored, key=lambda item: item[0]) == [
        ("Landing", {"variant": "b"}),          # called before t.js loaded (queue stub)
        ("Newsletter", {"source": "footer"}),   # footfall('event', …)
        ("Signup", {"plan": "pro", "seats": "5"}),  # data-footfall-event + data-footfall-prop-*
    ]
    assert visit["pageviews"] == 1
    [view] = tracked.events("pageview")
    assert {e["page_load_id"] for e in tracked.events("custom")} == {view["page_load_id"]}


def test_geolocation_only_after_consent(tracked):
    browser = tracked.browser
    browser.execute_cdp_cmd("Browser.grantPermissions", {"origin": tracked.pages.base, "permissions": ["geolocation"]})
    browser.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": 52.52437, "longitude": 13.41053, "accuracy": 25})
    try:
        tracked.open("events.html")
        tracked.visit_when(lambda v: v["custom_events"] >= 1, "page view and queued event")
        time.sleep(0.5)
        assert tracked.events("geo") == [], "no location is read before consent"
        tracked.click("consent")
        tracked.click("consent")          # asking twice still sends one reading
        [geo] = wait_for(lambda: tracked.events("geo"), "geo event")
        # Rounded to the site's 0.01° grid, whose cell (0.01 × 111,320 m) bounds the accuracy.
        assert (geo["geo_lat"], geo["geo_lon"], geo["geo_accuracy"]) == (52.52, 13.41, 1113.2)
        time.sleep(0.5)
        assert len(tracked.events("geo")) == 1
    finally:
        browser.execute_cdp_cmd("Emulation.clearGeolocationOverride", {})
        browser.execute_cdp_cmd("Browser.resetPermissions", {})


def test_an_over_long_page_url_keeps_its_page_view_and_its_attribution(tracked):
    # 9 KB of query: sent as it is, the page view would pass the server's 8 KB body limit
    # and be refused; the tracker keeps origin, path and the marketing parameters.
    marketing = "utm_source=newsletter&utm_medium=email&utm_campaign=spring"
    tracked.open(f"pricing.html?session={'z' * 9000}&{marketing}&gclid=abc#plans")
    visit = tracked.visit_when(lambda v: v["pageviews"] == 1, "the page view of the long URL")
    assert (visit["medium"], visit["source"], visit["campaign"]) == ("email", "newsletter", "spring")
    [view] = tracked.events("pageview")
    assert view["url"] == f"{tracked.pages.base}/pricing.html?{marketing}&gclid=abc"


def test_a_prerendered_page_is_counted_only_when_the_visitor_opens_it(tracked):
    browser = tracked.browser
    tracked.open("prerender.html")
    # trial.html, prerendered by speculation rules, writes the site key once it has its
    # config (see the page): from then on its tracker could send, and must not.
    wait_for(lambda: browser.execute_script("return localStorage.trialConfigLoaded") == tracked.site,
             "trial.html prerendered and its config loaded (does this Chromium prerender?)")
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        assert [v["path"] for v in tracked.events("pageview")] == ["/prerender.html"]
        assert tracked.events("custom") == [], "the queued event waits for the visitor too"
        time.sleep(0.2)

    tracked.click("trial")
    wait_for(lambda: browser.title.startswith("Trial"), "trial page")
    assert browser.execute_script("return performance.getEntriesByType('navigation')[0].activationStart") > 0, \
        "the trial page was shown from its prerendering"
    views = wait_for(lambda: views if len(views := tracked.events("pageview")) == 2 else None, "the trial page view")
    assert (views[1]["path"], views[1]["referrer"]) == ("/trial.html", f"{tracked.pages.base}/prerender.html")
    [custom] = wait_for(lambda: tracked.events("custom"), "the queued event")
    assert (custom["custom_name"], custom["page_load_id"]) == ("Trial offer shown", views[1]["page_load_id"])
    visit = tracked.visit_when(lambda v: v["pageviews"] == 2, "one visit of two pages")
    assert [page["path"] for page in visit["pages"]] == ["/prerender.html", "/trial.html"]


def test_a_back_forward_cache_restore_is_a_new_page_view_with_its_own_engaged_time(tracked):
    browser = tracked.browser
    tracked.open("index.html")
    wait_for(lambda: tracked.events("pageview"), "first page view")
    browser.execute_script("window.sameDocument = true")   # survives only a back/forward-cache restore
    tracked.click("pricing")
    wait_for(lambda: "Pricing" in browser.title, "pricing page")
    browser.back()
    wait_for(lambda: browser.title == "Acme Widgets", "home page again")
    assert browser.execute_script("return window.sameDocument === true"), \
        "Chromium reloaded the page instead of restoring it from the back/forward cache"
    views = wait_for(lambda: views if len(views := tracked.events("pageview")) == 3 else None, "three page views")
    assert [v["path"] for v in views] == ["/index.html", "/pricing.html", "/index.html"]
    assert len({v["page_load_id"] for v in views}) == 3, "the restored view has a page load id of its own"

    time.sleep(1.0)                  # the visitor reads the restored page, then leaves
    tracked.hide_tab()
    restored = views[2]["page_load_id"]
    engagement = wait_for(lambda: {e["page_load_id"]: e["engaged_ms"] for e in tracked.events("engagement")
                                   if e["page_load_id"] == restored}, "engagement of the restored view")
    assert 900 <= engagement[restored] < 15_000
    visit = tracked.visit_when(lambda v: v["pageviews"] == 3, "one visit of three pages")
    assert [page["path"] for page in visit["pages"]] == ["/index.html", "/pricing.html", "/index.html"]


def test_do_not_track_per_site_policy(footfall, customer_site, tmp_path):
    server, key = footfall
    honouring = new_site(server)
    ignoring = new_site(server, "--set", "honour_dnt=false", "--set", "allow_localhost=true")
    driver = chrome(tmp_path, do_not_track=True)
    try:
        assert driver.execute_script("return navigator.doNotTrack") == "1"
        for site in [honouring, ignoring]:
            customer_site.site_key = site
            driver.get(f"{customer_site.base}/index.html")
            driver.find_element(By.ID, "pricing").click()
            wait_for(lambda: "Pricing" in driver.title, "pricing page")
            driver.get("about:blank")
        visits = lambda site: server.api("/api/v1/visits", key, site=site).json()["visits"]
        # The tracker and the server apply the same policy: a site that ignores DNT sees the
        # visit, a site that honours it (the default) gets nothing at all.
        wait_for(lambda: [len(v["pages"]) for v in visits(ignoring)] == [2], "visit of the DNT-ignoring site")
        assert visits(honouring) == []
    finally:
        driver.quit()


def test_local_pages_are_ignored_until_the_site_allows_them_and_config_changes_apply_live(footfall, customer_site, browser):
    server, key = footfall
    site = new_site(server)
    customer_site.site_key = site
    tracked = Tracked(server, key, site, customer_site, browser)
    tracked.open("index.html")
    time.sleep(1.0)
    assert tracked.visits() == [], "127.0.0.1 is ignored by default"

    cli(server.data_dir, "site", "config", site, "--set", "allow_localhost=true", "--set", "excluded_paths=/pricing*")
    wait_for(lambda: requests.get(f"{server.base}/c/{site}.json", timeout=5).json()["lh"], "config served", timeout=20)
    browser.execute_cdp_cmd("Network.clearBrowserCache", {})   # as if max-age had passed
    tracked.open("index.html")
    tracked.click("pricing")
    wait_for(lambda: "Pricing" in browser.title, "pricing page")
    tracked.click("docs")
    wait_for(lambda: "Docs" in browser.title, "docs page")
    browser.get("about:blank")
    visit = tracked.visit_when(lambda v: v["pageviews"] == 2 and v["pages"][-1]["engaged_ms"] > 0, "two tracked pages")
    assert [page["path"] for page in visit["pages"]] == ["/index.html", "/docs.html"]
    assert tracked.events("engagement") and all(e["path"] != "/pricing.html" for e in tracked.events("engagement"))


def test_the_demo_site_is_tracked_in_a_real_browser(browser, tmp_path):
    demo = Server(tmp_path, ["--demo"]).start()
    try:
        banner = demo.log()
        site = re.search(r'data-site="(s_\w+)"', banner).group(1)
        key = re.search(r"API key \(shown once, store it now\): (ff_live_\w+)", banner).group(1)
        browser.get(f"{demo.base}/demo/")
        browser.find_element(By.LINK_TEXT, "pricing").click()
        wait_for(lambda: "Pricing" in browser.title, "demo pricing page")
        browser.get("about:blank")
        visits = lambda: demo.api("/api/v1/visits", key, site=site).json()["visits"]
        [visit] = wait_for(lambda: [v for v in visits() if v["pages"] and v["pages"][-1]["engaged_ms"] > 0], "demo visit")
        assert [page["path"] for page in visit["pages"]] == ["/demo/", "/demo/pricing"]
    finally:
        demo.stop()
