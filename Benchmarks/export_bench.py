#!/usr/bin/env python3
"""`make bench export`: N changed leads (FOOTFALL_BENCH_LEADS, default 50,000) exported to the
fake HubSpot holding its real limit (190 requests per rolling 10 s), read from a fake remote
Footfall change feed. Prints the run's time against the floor the limit allows, measured
with the same request count, and peak memory against a run with a fifth of the leads
(flat memory: the feed is streamed page by page, never loaded whole)."""
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "EndToEnd"))
from fakes import footfall_feed, hubspot  # noqa: E402

BIN = os.environ.get("FOOTFALL_BIN", ".build/release/footfall")
LIMIT, WINDOW = 190, 10.0


def export(count, data_dir):
    feed = footfall_feed.start("ff_live_bench", footfall_feed.generated(count))
    crm = hubspot.start(token="pat-bench", limit=LIMIT, seconds=WINDOW)
    env = {**os.environ, "FOOTFALL_API_KEY": "ff_live_bench", "HUBSPOT_TOKEN": "pat-bench"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    result = subprocess.run(
        [BIN, "export", "hubspot", "--data", data_dir, "--from-api", feed.base, "--key-env", "FOOTFALL_API_KEY",
         "--api-base", crm.base, "--token-env", "HUBSPOT_TOKEN", "--rate-limit", f"{LIMIT}/{WINDOW:g}"],
        env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - start
    rss_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    crm.stop()
    feed.stop()
    if result.returncode != 0 or len(crm.state["companies"]) != count:
        sys.exit(f"export failed ({len(crm.state['companies'])}/{count} companies):\n{result.stderr}")
    requests = len(crm.requests)
    # The rolling window lets `LIMIT` requests through per `WINDOW`: R requests need at least
    # floor((R - 1) / LIMIT) full windows.
    floor = ((requests - 1) // LIMIT) * WINDOW
    return elapsed, floor, requests, max(rss_kb, before), result.stderr.strip().splitlines()[-1]


def main():
    count = int(os.environ.get("FOOTFALL_BENCH_LEADS", "50000"))
    import tempfile
    with tempfile.TemporaryDirectory() as small_dir, tempfile.TemporaryDirectory() as big_dir:
        small = export(max(1, count // 5), small_dir)
        big = export(count, big_dir)
    elapsed, floor, requests, rss, summary = big
    print(f"export {count} leads to fake HubSpot ({LIMIT} req / {WINDOW:g} s): {requests} requests in {elapsed:.1f} s")
    print(f"  floor allowed by the limit (same request count): {floor:.1f} s -> ratio {elapsed / floor:.2f}x"
          if floor else "  below one window: no floor")
    print(f"  steady-rate reference ({requests} / {LIMIT / WINDOW:g} per s): {requests / (LIMIT / WINDOW):.1f} s")
    print(f"  peak RSS {rss / 1024:.0f} MB vs {small[3] / 1024:.0f} MB for {max(1, count // 5)} leads "
          f"(ratio {rss / small[3]:.2f}x)")
    print(f"  {summary}")


if __name__ == "__main__":
    main()
