"""Exactly once in effect: `footfall export hubspot` SIGKILLed at random moments, rerun,
delivers every lead change to the fake HubSpot, with no duplicate company and none missed."""
import os
import random
import signal
import subprocess
import time

from conftest import BIN
from fakes import footfall_feed, hubspot

API_KEY = "ff_live_killtest"
TOKEN = "pat-na1-kill-test"


def writes_so_far(crm):
    """Company writes the fake HubSpot has taken (a list copy: the fake's thread adds to it)."""
    return sum(company["writes"] for company in list(crm.state["companies"].values()))


def test_kill_and_rerun_delivers_every_change_exactly_once_in_effect(data_dir):
    rng = random.Random(int(os.environ.get("FOOTFALL_KILL_SEED", "13")))
    leads = [footfall_feed.make_lead(seq) for seq in range(1, 3001)]
    feed = footfall_feed.start(API_KEY, footfall_feed.from_list(leads))
    crm = hubspot.start(token=TOKEN)
    env = {**os.environ, "FOOTFALL_API_KEY": API_KEY, "HUBSPOT_TOKEN": TOKEN}
    base = [BIN, "export", "crm", "--data", str(data_dir), "--from-api", feed.base, "--key-env", "FOOTFALL_API_KEY"]
    try:
        added = subprocess.run([BIN, "sink", "add", "hubspot", "--name", "crm", "--data", str(data_dir),
                                "--api-base", crm.base, "--token-env", "HUBSPOT_TOKEN", "--rate-limit", "4/1"],
                               capture_output=True, text=True, timeout=30)
        assert added.returncode == 0, added.stderr
        checkpoints, next_seq, kills = [], 3001, 0
        deadline = time.monotonic() + 120  # bounded; each round is a few seconds on an idle machine
        while kills < 6 and time.monotonic() < deadline:
            landed = writes_so_far(crm)
            process = subprocess.Popen(base, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            # A round has ≥ 10 batches (≥ 2.5 s at 4 requests/s) to send. It is killed at a
            # random moment after its first batch landed, however long its start took on this
            # machine: while at work, after some batches landed.
            while process.poll() is None and writes_so_far(crm) == landed and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(rng.uniform(0.2, 1.5))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait(timeout=10)
            listing = subprocess.run([BIN, "sink", "list", "--data", str(data_dir)], capture_output=True, text=True)
            checkpoints.append(int(listing.stdout.split("checkpoint=")[1].split()[0]))
            # Leads keep changing between runs (existing ones, at new sequence numbers), so
            # every run has work left when it is killed.
            for _ in range(rng.randint(1000, 2000)):
                old = rng.randint(1, 3000)
                leads.append(dict(footfall_feed.make_lead(old), change_seq=next_seq, score=rng.randint(0, 100)))
                next_seq += 1
        assert kills >= 5, f"only {kills} runs were still going when killed"
        assert checkpoints == sorted(checkpoints), checkpoints
        assert any(0 < c < checkpoints[-1] for c in checkpoints[:-1]), checkpoints  # killed mid-export

        final = subprocess.run(base, env=env, capture_output=True, text=True, timeout=120)
        assert final.returncode == 0, final.stderr

        latest = {}
        for lead in sorted(leads, key=lambda l: l["change_seq"]):
            latest[lead["id"]] = lead
        companies = crm.state["companies"]
        assert set(companies) == set(latest)  # none missed; one company per lead (unique footfall_lead_id)
        for lead_id, lead in latest.items():
            assert companies[lead_id]["properties"]["footfall_score"] == str(lead["score"]), lead_id
        # Resent at most the batch in flight at each kill.
        writes = sum(c["writes"] for c in companies.values())
        assert len(latest) <= writes <= len(leads) + 100 * kills, (writes, len(leads))
        dry = subprocess.run([*base, "--dry-run"], env=env, capture_output=True, text=True, timeout=30)
        assert dry.returncode == 0 and dry.stdout == ""  # nothing left to send
    finally:
        crm.stop()
        feed.stop()
