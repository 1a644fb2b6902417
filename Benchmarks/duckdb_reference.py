#!/usr/bin/env python3
"""Same-run DuckDB reference for the `columnar` benchmark.

Loads the CSV files footfall-bench wrote (events, visits, pages) into a native DuckDB file,
prints its size and the best-of-N latency of the query set Footfall's store answers, as one
JSON object on stdout. Usage: duckdb_reference.py DIR SITE FROM TO ORGANISATION
"""
import json
import os
import sys
import time

import duckdb

directory, site, start, end, organisation = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
path = os.path.join(directory, "reference.duckdb")
if os.path.exists(path):
    os.remove(path)
con = duckdb.connect(path)
for table in ("events", "visits", "pages"):
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{directory}/{table}.csv', header=true, all_varchar=false, quote='\"', escape='\"')")
con.execute("CHECKPOINT")
con.close()
size = os.path.getsize(path) + (os.path.getsize(path + ".wal") if os.path.exists(path + ".wal") else 0)
con = duckdb.connect(path, read_only=True)

r = f"site_id = {site} AND started_at >= {start} AND started_at < {end}"
rv = f"v.site_id = {site} AND v.started_at >= {start} AND v.started_at < {end}"
queries = {
    "timeseries(hour)": f"SELECT started_at // 3600000 AS b, count(*), sum(pageviews), count(DISTINCT visitor_id) FROM visits WHERE {r} GROUP BY b ORDER BY b",
    "timeseries(day)": f"SELECT started_at // 86400000 AS b, count(*), sum(pageviews), count(DISTINCT visitor_id) FROM visits WHERE {r} GROUP BY b ORDER BY b",
    "top pages": f"SELECT path, count(*) AS c FROM pages WHERE {r} GROUP BY path ORDER BY c DESC, path LIMIT 10",
    "organisations": f"SELECT organisation, any_value(org_domain), count(*) AS c, sum(pageviews), sum(engaged_ms), max(started_at) FROM visits WHERE {r} AND organisation <> '' GROUP BY organisation ORDER BY c DESC LIMIT 50",
    "organisation visits": f"SELECT v.*, p.paths FROM visits v JOIN (SELECT visit_id, list(path ORDER BY viewed_at) AS paths FROM pages WHERE {r} GROUP BY visit_id) p ON p.visit_id = v.id WHERE {rv} AND v.organisation = ? ORDER BY v.started_at, v.id LIMIT 100",
    "raw visit export": f"COPY (SELECT v.*, p.paths FROM visits v LEFT JOIN (SELECT visit_id, list(path ORDER BY viewed_at) AS paths FROM pages WHERE {r} GROUP BY visit_id) p ON p.visit_id = v.id WHERE {rv} ORDER BY v.started_at, v.id) TO '{directory}/export.csv' (HEADER)",
}
for dimension in ("entry_page", "exit_page", "source", "medium", "campaign", "device", "browser", "os", "country"):
    queries[f"by {dimension}"] = f"SELECT {dimension}, count(*) AS c FROM visits WHERE {r} GROUP BY {dimension} ORDER BY c DESC, {dimension} LIMIT 10"

timings = {}
for name, sql in queries.items():
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        if "?" in sql:
            con.execute(sql, [organisation]).fetchall()
        else:
            con.execute(sql).fetchall()
        best = min(best, time.perf_counter() - began)
    timings[name] = best * 1000
print(json.dumps({"bytes": size, "ms": timings}))
