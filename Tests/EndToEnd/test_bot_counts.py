"""Bots are dropped with a reason in /metrics and counted per family in catalog.sqlite, never stored."""
import sqlite3

import requests

from conftest import pageview

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def test_bots_are_counted_per_family_and_signal(server, site_and_key, data_dir):
    site, key = site_and_key
    assert server.beacon({"batch": [pageview(site, "/a"), pageview(site, "/b")]}, user_agent=GOOGLEBOT).status_code == 202
    assert server.beacon(pageview(site, "/"), user_agent="python-requests/2.31.0").status_code == 202
    automated = {**pageview(site, "/"), "wd": True}
    assert server.beacon(automated).status_code == 202
    assert server.beacon(pageview(site, "/human")).status_code == 202

    metrics = requests.get(server.base + "/metrics", timeout=5).text
    assert 'footfall_events_dropped_total{reason="bot"} 3' in metrics
    assert 'footfall_events_dropped_total{reason="bot_webdriver"} 1' in metrics
    assert "footfall_events_accepted_total 1" in metrics
    visits = server.api("/api/v1/visits", key, site=site).json()["visits"]
    assert [visit["entry_page"] for visit in visits] == ["/human"]

    assert server.stop() == 0  # the flusher writes what is left on shutdown
    with sqlite3.connect(data_dir / "catalog.sqlite") as db:
        rows = db.execute("SELECT family, signal, count FROM bot_counts ORDER BY family").fetchall()
    assert rows == [("Googlebot", "user_agent", 2), ("WebDriver Chrome", "webdriver", 1), ("python-requests", "user_agent", 1)]
