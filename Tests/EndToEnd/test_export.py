"""`footfall export` / `footfall sink` end to end: the real CLI against local fake CRMs on
loopback, reading a fake remote Footfall change feed (`--from-api`)."""
import csv
import hashlib
import hmac
import io
import json
import os
import subprocess

import pytest

from conftest import BIN
from fakes import footfall_feed, hubspot, pipedrive, salesforce, webhook

API_KEY = "ff_live_exporttestkey"
HUBSPOT_TOKEN = "pat-na1-11111111-2222-3333-4444-555555555555"


def export(data_dir, *args, env=None, timeout=60):
    environment = {**os.environ, "FOOTFALL_API_KEY": API_KEY, "HUBSPOT_TOKEN": HUBSPOT_TOKEN, **(env or {})}
    return subprocess.run([BIN, "export", *args, "--data", str(data_dir)], capture_output=True, text=True,
                          timeout=timeout, env=environment)


def run_cli(data_dir, *args):
    return subprocess.run([BIN, *args, "--data", str(data_dir)], capture_output=True, text=True, timeout=60)


@pytest.fixture
def feed():
    leads = [footfall_feed.make_lead(seq) for seq in range(1, 251)]
    server = footfall_feed.start(API_KEY, footfall_feed.from_list(leads))
    server.leads = leads
    yield server
    server.stop()


@pytest.fixture
def crm():
    server = hubspot.start(token=HUBSPOT_TOKEN)
    yield server
    server.stop()


def from_api(feed):
    return ["--from-api", feed.base, "--key-env", "FOOTFALL_API_KEY"]


def hubspot_args(crm, *extra):
    return ["--api-base", crm.base, "--token-env", "HUBSPOT_TOKEN", "--timeout", "2", *extra]


def test_ndjson_to_stdout_then_only_new_changes(data_dir, feed):
    first = export(data_dir, "ndjson", *from_api(feed))
    assert first.returncode == 0, first.stderr
    lines = [json.loads(line) for line in first.stdout.splitlines()]
    assert [lead["change_seq"] for lead in lines] == list(range(1, 251))
    assert "sent 250," in first.stderr and "checkpoint 250" in first.stderr
    again = export(data_dir, "ndjson", *from_api(feed))
    assert again.stdout == "" and "sent 0," in again.stderr
    feed.leads.append(dict(footfall_feed.make_lead(7), change_seq=251, score=99))
    third = export(data_dir, "ndjson", *from_api(feed))
    assert [json.loads(l)["id"] for l in third.stdout.splitlines()] == [footfall_feed.make_lead(7)["id"]]


def test_exports_by_kind_keep_a_checkpoint_per_target(data_dir, feed, tmp_path):
    one, two = tmp_path / "one.ndjson", tmp_path / "two.ndjson"
    assert export(data_dir, "ndjson", *from_api(feed), "--output", str(one)).returncode == 0
    assert export(data_dir, "ndjson", *from_api(feed), "--output", str(two)).returncode == 0
    assert len(one.read_text().splitlines()) == len(two.read_text().splitlines()) == 250
    again = export(data_dir, "ndjson", *from_api(feed), "--output", str(one))
    assert "sent 0," in again.stderr and len(one.read_text().splitlines()) == 250


def test_a_site_scoped_export_keeps_its_own_checkpoint(data_dir, feed):
    for lead in feed.leads[:10]:
        lead["site_id"] = 2
    site_two = export(data_dir, "ndjson", *from_api(feed), "--site", "s_site2")
    assert [json.loads(l)["site_id"] for l in site_two.stdout.splitlines()] == [2] * 10
    everything = export(data_dir, "ndjson", *from_api(feed))
    assert len(everything.stdout.splitlines()) == 250


def test_csv_file_min_score_limit_and_dry_run(data_dir, feed):
    out = data_dir / "leads.csv"
    dry = export(data_dir, "csv", *from_api(feed), "--output", str(out), "--dry-run", "--min-score", "90", "--limit", "5")
    assert dry.returncode == 0, dry.stderr
    # The preview is the CSV that would be written: header, then one row per lead.
    previewed = list(csv.DictReader(io.StringIO(dry.stdout)))
    assert len(previewed) == 5 and all(int(row["score"]) >= 90 for row in previewed)
    assert not out.exists() or out.read_text() == ""
    run = export(data_dir, "csv", *from_api(feed), "--output", str(out), "--min-score", "90")
    assert run.returncode == 0, run.stderr
    rows = out.read_text().splitlines()
    expected = [lead for lead in feed.leads if lead["score"] >= 90]
    assert rows[0].startswith("id,site_id,organisation,domain") and len(rows) == 1 + len(expected)
    assert f"skipped {250 - len(expected)}," in run.stderr
    assert [row["id"] for row in previewed] == [lead["id"] for lead in expected[:5]]


def test_csv_ndjson_and_webhook_carry_the_same_lead_fields(data_dir, feed):
    """Every field of the Lead API's lead, account fields included, reaches all three formats."""
    account = {"domain": "company1.example", "name": "Company One", "industry": "Software", "employees": 250,
               "owner": "sam@seller.example", "tier": "1"}
    feed.leads[0].update(account=account, target_account=True)
    api_fields = set(feed.leads[0])
    ndjson = export(data_dir, "ndjson", *from_api(feed), "--limit", "1", "--dry-run")
    line = json.loads(ndjson.stdout.splitlines()[0])
    assert set(line) == api_fields and line["target_account"] is True and line["account"] == account
    receiver = webhook.start()
    try:
        export(data_dir, "webhook", *from_api(feed), "--limit", "1", "--url", receiver.base,
               "--token-env", "HOOK_SECRET", env={"HOOK_SECRET": "s"})
        hooked = json.loads(receiver.state["deliveries"][0]["raw"])["leads"][0]
        assert hooked == line
    finally:
        receiver.stop()
    row = next(csv.DictReader(io.StringIO(export(data_dir, "csv", *from_api(feed), "--limit", "1", "--dry-run").stdout)))
    flat = {name for name in api_fields if name != "account"} | {f"account_{k}" for k in account if k != "domain"}
    assert flat <= set(row), flat - set(row)
    assert row["target_account"] == "true" and row["account_tier"] == "1" and row["account_owner"] == "sam@seller.example"


def test_hubspot_creates_properties_then_upserts_without_duplicates(data_dir, feed, crm):
    result = export(data_dir, "hubspot", *from_api(feed), *hubspot_args(crm))
    assert result.returncode == 0, result.stderr
    assert "sent 250, created 250, updated 0, failed 0" in result.stderr
    props = crm.state["properties"]
    assert props["footfall_lead_id"]["hasUniqueValue"] is True
    assert {"footfall_score", "footfall_last_visit", "footfall_visits", "footfall_key_pages", "footfall_journey"} <= set(props)
    upserts = [r for r in crm.requests if r[1].endswith("/batch/upsert")]
    assert [len(json.loads(r[2])["inputs"]) for r in upserts] == [100, 100, 50]
    company = crm.state["companies"]["ld_0000000000000007"]["properties"]
    assert company["name"] == "Company 7" and company["domain"] == "company7.example"
    assert company["footfall_score"] == str(feed.leads[6]["score"])
    # Leads change: the same companies are updated, none created twice.
    for seq in (3, 9):
        feed.leads.append(dict(footfall_feed.make_lead(seq), change_seq=250 + seq, score=77))
    update = export(data_dir, "hubspot", *from_api(feed), *hubspot_args(crm))
    assert "sent 2, created 0, updated 2" in update.stderr, update.stderr
    assert len(crm.state["companies"]) == 250
    assert crm.state["companies"]["ld_0000000000000009"]["properties"]["footfall_score"] == "77"


def test_hubspot_faults_are_retried_and_nothing_is_duplicated_or_lost(data_dir, feed, crm):
    crm.inject({"type": "status", "status": 429, "path": "upsert"},
               {"type": "status", "status": 502, "path": "upsert"},
               {"type": "reset_before", "path": "upsert"},
               {"type": "drop_after", "path": "upsert"},
               {"type": "timeout", "seconds": 3, "path": "upsert"},
               {"type": "status", "status": 429, "retry_after": 1, "path": "/crm/v3/properties"})
    result = export(data_dir, "hubspot", *from_api(feed), *hubspot_args(crm), timeout=120)
    assert result.returncode == 0, result.stderr
    companies = crm.state["companies"]
    assert len(companies) == 250
    # The batch whose answer was dropped after HubSpot applied it was sent again: an update, not a duplicate.
    assert sum(c["writes"] for c in companies.values()) == 350
    assert "sent 250, created 150, updated 100" in result.stderr


def test_hubspot_207_retries_refused_inputs_only_and_reports_lasting_failures(data_dir, feed, crm):
    flaky, bad = "ld_0000000000000005", "ld_00000000000000c8"  # changes 5 and 200
    crm.inject({"type": "partial", "fail_ids": [flaky], "path": "upsert"})
    # Faults are taken in request order: the flaky lead's retry takes one of these four, the
    # three attempts at the batch holding change 200 take the rest.
    crm.inject(*[{"type": "partial", "fail_ids": [bad], "path": "upsert"}] * 4)
    result = export(data_dir, "hubspot", *from_api(feed), *hubspot_args(crm))
    upserts = [json.loads(r[2])["inputs"] for r in crm.requests if r[1].endswith("/batch/upsert")]
    assert [len(inputs) for inputs in upserts[:2]] == [100, 1] and upserts[1][0]["id"] == flaky
    assert result.returncode == 1
    assert f"lead {bad}" in result.stderr and "VALIDATION_ERROR" in result.stderr
    assert "checkpoint 199" in result.stderr
    rerun = export(data_dir, "hubspot", *from_api(feed), *hubspot_args(crm))
    assert rerun.returncode == 0 and "sent 51," in rerun.stderr, rerun.stderr
    assert len(crm.state["companies"]) == 250


def test_a_lead_refused_in_three_runs_is_parked_and_later_changes_flow(data_dir, feed, crm):
    bad = "ld_00000000000000c8"  # change 200, in the second batch of 100
    crm.inject(*[{"type": "partial", "fail_ids": [bad], "path": "upsert"}] * 40)
    assert run_cli(data_dir, "sink", "add", "hubspot", "--name", "crm", *hubspot_args(crm)).returncode == 0
    for _ in range(2):
        held = export(data_dir, "crm", *from_api(feed))
        assert held.returncode == 1 and "checkpoint 199" in held.stderr and "parked" not in held.stderr
    parking = export(data_dir, "crm", *from_api(feed))
    assert parking.returncode == 1 and "failed 1, parked 1," in parking.stderr and "checkpoint 250" in parking.stderr
    assert f"lead {bad} (change 200)" in parking.stderr and "parked after 3 refused runs" in parking.stderr
    assert len(crm.state["companies"]) == 249
    listed = run_cli(data_dir, "sink", "list").stdout
    assert f"parked={bad}@200" in listed
    quiet = export(data_dir, "crm", *from_api(feed))
    assert quiet.returncode == 0 and "sent 0," in quiet.stderr
    audit = run_cli(data_dir, "audit").stdout
    assert audit.count("export.run") == 4 and "failed 1, parked 1," in audit


def test_hubspot_rolling_limit_is_kept_or_its_429s_are_absorbed(data_dir, feed):
    strict = hubspot.start(token=HUBSPOT_TOKEN, limit=4, seconds=1)
    try:
        result = export(data_dir, "hubspot", *from_api(feed), *hubspot_args(strict, "--rate-limit", "4/1.2"))
        assert result.returncode == 0, result.stderr
        assert len(strict.state["companies"]) == 250
        assert strict.state["window"].limit == 4
        # 6 property checks + 6 creates + 3 upserts = 15 requests at 4 per second: no 429 was needed.
        assert len(strict.requests) == 15
        again = hubspot.start(token=HUBSPOT_TOKEN, limit=4, seconds=1)
        try:
            loose = export(data_dir, "hubspot-b", *from_api(feed))
            assert "no sink named" in loose.stderr and loose.returncode == 2
            run_cli(data_dir, "sink", "add", "hubspot", "--name", "hubspot-b", *hubspot_args(again, "--rate-limit", "100/1"))
            loose = export(data_dir, "hubspot-b", *from_api(feed), timeout=120)
            assert loose.returncode == 0, loose.stderr
            assert len(again.state["companies"]) == 250 and len(again.requests) > 15  # 429s were met and retried
        finally:
            again.stop()
    finally:
        strict.stop()


def test_webhook_batches_are_signed_verifiably(data_dir, feed):
    receiver = webhook.start()
    receiver.inject({"type": "status", "status": 503})
    try:
        result = export(data_dir, "webhook", *from_api(feed), "--url", receiver.base + "/hooks/footfall",
                        "--token-env", "HOOK_SECRET", "--batch-size", "100", env={"HOOK_SECRET": "whsec_e2e"})
        assert result.returncode == 0, result.stderr
        deliveries = receiver.state["deliveries"]
        assert len(deliveries) == 3
        seen = []
        for delivery in deliveries:
            header = delivery["headers"]["Footfall-Signature"]
            parts = dict(item.split("=", 1) for item in header.split(","))
            expected = hmac.new(b"whsec_e2e", parts["t"].encode() + b"." + delivery["raw"], hashlib.sha256).hexdigest()
            assert hmac.compare_digest(parts["v1"], expected)
            body = json.loads(delivery["raw"])
            assert body["type"] == "leads.changed"
            seen += [lead["change_seq"] for lead in body["leads"]]
        assert seen == list(range(1, 251))
    finally:
        receiver.stop()


def test_salesforce_collections_upsert_with_per_record_results(data_dir, feed):
    org = salesforce.start()
    try:
        org.inject({"type": "partial", "fail_ids": ["ld_000000000000000a"], "path": "composite"})
        env = {"SF_TOKEN": "00Dxx0000000000!token", "SALESFORCE_API_BASE": org.base}
        result = export(data_dir, "salesforce", *from_api(feed), "--token-env", "SF_TOKEN", env=env)
        assert result.returncode == 0, result.stderr
        calls = [json.loads(r[2]) for r in org.requests]
        assert [len(call["records"]) for call in calls] == [200, 1, 50]
        assert calls[1]["records"][0]["Footfall_Lead_Id__c"] == "ld_000000000000000a"
        assert len(org.state["accounts"]) == 250 and "created 250" in result.stderr
        bad_token = export(data_dir, "salesforce", *from_api(feed), "--full", "--token-env", "NOPE", env=env)
        assert bad_token.returncode == 2 and "NOPE" in bad_token.stderr
    finally:
        org.stop()


def test_pipedrive_search_then_create_or_update_survives_a_lost_create(data_dir, feed):
    competitor = "c0ffee0000000000000000000000000000000001"
    crm = pipedrive.start(limit=200, seconds=2, extra_fields=[
        {"id": 4001, "key": competitor, "name": "Competitor domain", "field_type": "varchar", "edit_flag": True}])
    try:
        # A salesperson's organization naming lead 5's domain in another custom field must
        # not be taken for lead 5's organization.
        crm.state["orgs"][999] = {"id": 999, "name": "Rival Ltd", competitor: feed.leads[4]["domain"], "writes": 0}
        crm.inject({"type": "drop_after", "method": "POST", "path": "/api/v1/organizations"},
                   {"type": "status", "status": 429, "retry_after": 1})
        feed.leads[:] = feed.leads[:40]
        args = ["--api-base", crm.base, "--token-env", "PD_TOKEN", "--timeout", "2",
                "--domain-field", "9dc80c50d78a15643bfc4ca79d76156a73a1ca0e"]
        result = export(data_dir, "pipedrive", *from_api(feed), *args, env={"PD_TOKEN": "pd-test-token"}, timeout=120)
        assert result.returncode == 0, result.stderr
        orgs = crm.state["orgs"]
        assert len(orgs) == 41 and orgs[999] == {"id": 999, "name": "Rival Ltd", competitor: feed.leads[4]["domain"], "writes": 0}
        assert sorted(o["9dc80c50d78a15643bfc4ca79d76156a73a1ca0e"] for o in orgs.values() if o["id"] != 999) == sorted(
            l["domain"] for l in feed.leads)
        # Footfall's fields were created once, as organization custom fields, and filled.
        keys = {f["name"]: f["key"] for f in crm.state["fields"]}
        footfall = ["Footfall lead id", "Footfall score", "Footfall last visit", "Footfall visits",
                    "Footfall key pages", "Footfall journey"]
        assert all(name in keys for name in footfall)
        created = [json.loads(r[2]) for r in crm.requests if r[0] == "POST" and r[1] == "/api/v1/organizationFields"]
        assert sorted(c["name"] for c in created) == sorted(footfall)
        lead = feed.leads[6]
        org = next(o for o in orgs.values() if o.get(keys["Footfall lead id"]) == lead["id"])
        assert org[keys["Footfall score"]] == lead["score"] and org[keys["Footfall visits"]] == lead["visits"]
        assert len(org[keys["Footfall last visit"]]) == 10 and org[keys["Footfall journey"]].startswith(f"{lead['visits']} visit")
        feed.leads.append(dict(footfall_feed.make_lead(3), change_seq=300, organisation="Renamed"))
        update = export(data_dir, "pipedrive", *from_api(feed), *args, env={"PD_TOKEN": "pd-test-token"})
        assert "created 0, updated 1" in update.stderr and len(orgs) == 41
        assert any(o["name"] == "Renamed" for o in orgs.values())
        # The second run found the fields by name instead of creating them again.
        assert len([f for f in crm.state["fields"] if f["name"].startswith("Footfall")]) == 6
    finally:
        crm.stop()


def test_sink_configuration_keeps_secrets_out_of_the_data_and_the_output(data_dir, feed, crm):
    token_file = data_dir / "hubspot.token"
    token_file.write_text(HUBSPOT_TOKEN + "\n")
    os.chmod(token_file, 0o644)
    add = run_cli(data_dir, "sink", "add", "hubspot", "--name", "main", "--token-file", str(token_file),
                  "--api-base", crm.base)
    assert add.returncode == 0, add.stderr
    open_file = export(data_dir, "main", *from_api(feed))
    assert open_file.returncode == 2 and "chmod 600" in open_file.stderr
    os.chmod(token_file, 0o600)
    ok = export(data_dir, "main", *from_api(feed))
    assert ok.returncode == 0, ok.stderr
    listing = run_cli(data_dir, "sink", "list")
    assert listing.stdout.startswith("main\thubspot\tcheckpoint=250")
    assert run_cli(data_dir, "sink", "add", "hubspot", "--name", "nosecret").returncode == 2
    # Malformed settings are refused when the sink is added, not at its first export.
    for flags, message in [
        (["webhook", "--url", "notaurl", "--token-env", "T"], "an http(s) URL"),
        (["webhook", "--url", "ftp://x/", "--token-env", "T"], "an http(s) URL"),
        (["webhook", "--url", crm.base, "--token-env", "T", "--batch-size", "0"], "a positive integer"),
        (["hubspot", "--token-env", "T", "--rate-limit", "abc"], "REQUESTS/SECONDS"),
        (["hubspot", "--token-env", "T", "--rate-limit", "0/10"], "REQUESTS/SECONDS"),
        (["pipedrive", "--token-env", "T"], "needs --domain-field"),
    ]:
        refused = run_cli(data_dir, "sink", "add", *flags[:1], "--name", "bad", *flags[1:])
        assert refused.returncode == 2 and message in refused.stderr, (flags, refused.stderr)
    assert "bad\t" not in run_cli(data_dir, "sink", "list").stdout
    for path in data_dir.rglob("*"):
        if path.is_file() and path != token_file:
            assert HUBSPOT_TOKEN.encode() not in path.read_bytes(), path
    for output in (add, open_file, ok, listing):
        assert HUBSPOT_TOKEN not in output.stdout + output.stderr
    assert run_cli(data_dir, "sink", "remove", "--name", "main").returncode == 0
    assert run_cli(data_dir, "sink", "list").stdout == ""


def test_a_second_run_of_the_same_sink_is_refused_while_one_holds_the_lock(data_dir, feed):
    import fcntl
    (data_dir / "locks").mkdir()
    lock_path = data_dir / "locks" / "export-1-ndjson.lock"
    with open(lock_path, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        refused = export(data_dir, "ndjson", *from_api(feed))
        assert refused.returncode == 2 and "another export of sink 'ndjson' is running" in refused.stderr
    assert export(data_dir, "ndjson", *from_api(feed)).returncode == 0


def test_configuration_errors_exit_2(data_dir, feed, crm):
    cases = [
        (["nosuchsink", *from_api(feed)], "no sink named"),
        (["hubspot", *from_api(feed), "--api-base", "not a url", "--token-env", "HUBSPOT_TOKEN"], "invalid api_base"),
        (["hubspot", *from_api(feed), "--api-base", crm.base, "--token-env", "UNSET_VAR"], "UNSET_VAR"),
        (["ndjson", "--from-api", feed.base], "--key-env"),
        (["ndjson", "--site", "s_nosuchsite"], "invalid --site 's_nosuchsite'"),
        (["ndjson", *from_api(feed), "--min-score", "101"], "--min-score"),
        (["webhook", *from_api(feed), "--token-env", "HUBSPOT_TOKEN"], "--url"),
    ]
    for args, message in cases:
        result = export(data_dir, *args)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
