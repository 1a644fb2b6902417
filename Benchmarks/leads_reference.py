#!/usr/bin/env python3
"""Same-run measurement and DuckDB reference for the `leads` benchmark.

Starts `$FOOTFALL_BIN serve` on the data directory footfall-bench wrote, times 200
`GET /api/v1/leads?site&from&to&limit=100` requests (one keep-alive connection, after 10
warm-up requests), then loads the same visits (visits.csv) into a native DuckDB file and
times the same lead aggregates computed from them: per organisation (domain, else name +
ASN) of business/education/government networks, visits, distinct visitors, days, page
views, engaged time, first and last seen; leads last seen in [from, to), best 100 by an
engagement score. Prints one JSON object. Usage: leads_reference.py DIR SITE SITE_ID FROM TO
(the API key in $FOOTFALL_BENCH_KEY).
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import time

import duckdb
import requests

directory, site, site_id, start, end = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
key = os.environ["FOOTFALL_BENCH_KEY"]
binary = os.environ.get("FOOTFALL_BIN", ".build/release/footfall")
REQUESTS, RUNS = 200, 30


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
server = subprocess.Popen([binary, "serve", "--data", directory, "--host", "127.0.0.1", "--port", str(port),
                           "--api-rate-limit", "1000000", "--log-level", "error"],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {key}"
    url = f"http://127.0.0.1:{port}/api/v1/leads"
    params = {"site": site, "from": start, "to": end, "limit": 100}
    deadline = time.monotonic() + 60
    while True:
        try:
            if session.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            sys.exit("footfall serve did not start")
        time.sleep(0.2)
    for _ in range(10):
        first = session.get(url, params=params, timeout=30)
        assert first.status_code == 200, first.text
    api = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        response = session.get(url, params=params, timeout=30)
        api.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    leads = len(response.json()["leads"])
finally:
    server.terminate()
    server.wait(timeout=30)

path = os.path.join(directory, "reference.duckdb")
con = duckdb.connect(path)
con.execute(f"CREATE OR REPLACE TABLE visits AS SELECT * FROM read_csv('{directory}/visits.csv', header=true, quote='\"', escape='\"')")
con.execute("CHECKPOINT")
con.close()
con = duckdb.connect(path, read_only=True)
query = f"""
    SELECT org, any_value(organisation), any_value(org_domain), count(*) AS visits, count(DISTINCT visitor_id) AS visitors,
           count(DISTINCT started_at // 86400000) AS days, sum(pageviews) AS pageviews, sum(engaged_ms) AS engaged_ms,
           min(started_at) AS first_seen, max(ended_at) AS last_seen,
           least(100, 10 * ln(1 + count(*)) + 8 * (count(DISTINCT started_at // 86400000) - 1)
                      + 5 * ln(1 + sum(pageviews)) + 4 * ln(1 + sum(engaged_ms) / 60000.0)) AS score
    FROM (SELECT *, CASE WHEN org_domain <> '' THEN org_domain ELSE organisation || '|' || asn END AS org FROM visits
          WHERE site_id = {site_id} AND network_type IN ('business', 'education', 'government'))
    GROUP BY org HAVING max(ended_at) >= {start} AND max(ended_at) < {end}
    ORDER BY score DESC, org LIMIT 100
"""
duck = []
for run in range(RUNS + 3):
    began = time.perf_counter()
    con.execute(query).fetchall()
    if run >= 3:
        duck.append((time.perf_counter() - began) * 1000)
print(json.dumps({
    "leads": leads,
    "api_p50_ms": statistics.median(api), "api_p99_ms": percentile(api, 0.99),
    "duckdb_p50_ms": statistics.median(duck), "duckdb_p99_ms": percentile(duck, 0.99),
}))
