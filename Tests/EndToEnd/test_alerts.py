"""Lead alerts end to end: the real server on loopback follows lead changes, and delivers
each rule's alert once per upward score crossing to a signed webhook (verified here with
Python's `hmac`) and to a Slack incoming webhook that fails once and gets the retry; the
delivery log (`footfall alert log`) records both. Rescoring, rebuilding and account imports
never alert; a target account's new visit and a key-page view do."""
import hashlib
import hmac
import json
import os
import re
import subprocess
import time

import pytest
from conftest import BIN, Server, cli, pageview
from fakes import slack, webhook

RANGES = """# range,organisation,domain,network_type,country
192.0.2.0/26,Alpha Industries,alpha.example,business,DE
192.0.2.64/26,Delta Systems,delta.example,business,DE
"""
ALPHA, DELTA = "192.0.2.10", "192.0.2.70"
WEBHOOK_SECRET = "whsec_alerts_e2e_5f1c"
SLACK_PATH = "/services/T0000/B0000/s3cretSlackToken"


def run(data_dir, *args, env=None):
    return subprocess.run([BIN, *args, "--data", str(data_dir)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def wait_for(condition, what, seconds=30):
    """Polls `condition` until it returns a truthy value (a wait, not a speed assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def visit(server, site, address, *paths):
    for path in paths:
        response = server.beacon(pageview(site, path), headers={"X-Forwarded-For": address})
        assert response.status_code == 202, response.text


def lead_named(server, key, site, name):
    response = server.api("/api/v1/leads", key, site=site)
    assert response.status_code == 200, response.text
    return next((lead for lead in response.json()["leads"] if lead["organisation"] == name), None)


def log_entries(data_dir, *args):
    return [json.loads(line) for line in cli(data_dir, "alert", "log", "--json", *args).splitlines()]


def verify(delivery, secret):
    """Checks the Footfall-Signature header as a receiver would; returns the parsed body."""
    parts = dict(item.split("=", 1) for item in delivery["headers"]["Footfall-Signature"].split(","))
    expected = hmac.new(secret.encode(), parts["t"].encode() + b"." + delivery["raw"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    return json.loads(delivery["raw"])


@pytest.fixture
def receivers():
    hook, chat = webhook.start(), slack.start()
    yield hook, chat
    hook.stop()
    chat.stop()


@pytest.fixture
def alert_server(data_dir, site_and_key, receivers, monkeypatch):
    ranges = data_dir / "ranges.csv"
    ranges.write_text(RANGES)
    cli(data_dir, "import-ip-data", str(ranges), "--tenant", "default")
    hook, chat = receivers
    # The server reads the Slack URL from its environment and the signing key from a 0600 file.
    monkeypatch.setenv("FOOTFALL_SLACK_URL", chat.base + SLACK_PATH)
    secret_file = data_dir / "webhook.secret"
    secret_file.write_text(WEBHOOK_SECRET + "\n")
    os.chmod(secret_file, 0o600)
    running = Server(data_dir, ["--trusted-proxy", "127.0.0.1"]).start()
    yield running, secret_file
    running.stop()


def test_a_score_crossing_alerts_once_signed_and_slack_gets_the_retry(alert_server, site_and_key, receivers, data_dir):
    server, secret_file = alert_server
    site, key = site_and_key
    hook, chat = receivers

    visit(server, site, ALPHA, "/")
    first = wait_for(lambda: lead_named(server, key, site, "Alpha Industries"), "Alpha's lead")
    threshold = first["score"]  # the next key-page view (+15) lifts Alpha above it
    assert cli(data_dir, "alert", "add", "--site", site, "--name", "hot", "--score-above", str(threshold),
               "--webhook", hook.base + "/hooks/footfall", "--secret-file", str(secret_file)) == "hot"
    assert cli(data_dir, "alert", "add", "--site", site, "--name", "hot-slack", "--score-above", str(threshold),
               "--slack-url-env", "FOOTFALL_SLACK_URL") == "hot-slack"
    chat.inject({"type": "status", "status": 500})

    # Crossing, then more activity while above: one alert per rule, not one per change.
    visit(server, site, ALPHA, "/pricing", "/contact", "/demo")
    wait_for(lambda: any(e["rule"] == "hot-slack" and e["status"] == "delivered" for e in log_entries(data_dir)),
             "the Slack retry")
    # A second organisation crossing afterwards marks the point where Alpha's later changes
    # have all been evaluated (the feed is processed in change order).
    visit(server, site, DELTA, "/", "/pricing")
    wait_for(lambda: len(hook.state["deliveries"]) >= 2 and len(chat.state["messages"]) >= 2, "Delta's alerts")

    alpha = lead_named(server, key, site, "Alpha Industries")
    assert alpha["score"] > threshold
    bodies = [verify(d, WEBHOOK_SECRET) for d in hook.state["deliveries"]]
    assert [b["lead"]["organisation"] for b in bodies] == ["Alpha Industries", "Delta Systems"]
    body = bodies[0]
    assert body["type"] == "lead.alert" and body["rule"] == "hot"
    assert body["trigger"] == {"kind": "score_above", "parameter": str(threshold)}
    assert body["lead"]["id"] == alpha["id"] and body["lead"]["score"] > threshold
    assert body["lead"]["target_account"] is False
    # From Alpha's first score, or from 0 when the service saw both changes at once.
    rose = re.fullmatch(rf"score rose from (\d+) to (\d+) \(above {threshold}\)", body["reason"])
    assert rose and int(rose[1]) in (0, threshold) and int(rose[2]) == body["lead"]["score"], body["reason"]
    assert hook.state["deliveries"][0]["headers"]["Footfall-Delivery"] == body["id"]

    # Slack: the 500 was answered by a second attempt carrying the same delivery id.
    slack_requests = [r for r in chat.requests if r[0] == "POST"]
    assert len(slack_requests) == 3
    messages = chat.state["messages"]
    assert "Alpha Industries" in messages[0]["body"]["text"] and "Delta Systems" in messages[1]["body"]["text"]
    assert messages[0]["body"]["blocks"][0]["type"] == "section"
    log = {(e["rule"], e["lead_id"]): e for e in log_entries(data_dir)}
    slack_alpha = log[("hot-slack", alpha["id"])]
    assert messages[0]["headers"]["Footfall-Delivery"] == slack_alpha["id"]
    assert (slack_alpha["status"], slack_alpha["attempts"], slack_alpha["http_status"]) == ("delivered", 2, 200)
    hook_alpha = log[("hot", alpha["id"])]
    assert (hook_alpha["status"], hook_alpha["attempts"], hook_alpha["http_status"]) == ("delivered", 1, 200)
    assert hook_alpha["id"] == body["id"] and len(log) == 4

    # The tab-separated log names rule, lead, status, attempts and HTTP status.
    lines = [line.split("\t") for line in cli(data_dir, "alert", "log", "--rule", "hot-slack").splitlines()]
    assert [(l[1], l[2], l[3], l[4], l[5]) for l in lines][-1] == ("hot-slack", alpha["id"], "delivered", "2", "200")

    # Secrets stay out of the catalog, the output and the server's log.
    listing = cli(data_dir, "alert", "list")
    for secret in (WEBHOOK_SECRET, chat.base + SLACK_PATH, "s3cretSlackToken"):
        assert secret not in listing and secret not in server.log()
        for path in data_dir.rglob("*"):
            if path.is_file() and path != secret_file:
                assert secret.encode() not in path.read_bytes(), path


def test_rescoring_and_rebuilding_never_alert_but_new_activity_does(alert_server, site_and_key, receivers, data_dir):
    server, secret_file = alert_server
    site, key = site_and_key
    hook, _ = receivers
    hook_args = ["--webhook", hook.base, "--secret-file", str(secret_file)]
    cli(data_dir, "alert", "add", "--site", site, "--name", "low", "--score-above", "0", *hook_args)
    visit(server, site, ALPHA, "/", "/pricing")
    # Alpha's first alert shows its visit was evaluated before the next rules exist.
    wait_for(lambda: hook.state["deliveries"], "Alpha's first alert")
    cli(data_dir, "alert", "add", "--site", site, "--name", "back", "--target-account-returns", *hook_args)
    cli(data_dir, "alert", "add", "--site", site, "--name", "contact", "--key-page", "/contact*", *hook_args)
    # The rescores below lift Alpha's score above this without any visit: it must stay quiet.
    warm = lead_named(server, key, site, "Alpha Industries")["score"]
    cli(data_dir, "alert", "add", "--site", site, "--name", "warm", "--score-above", str(warm), *hook_args)

    # Alpha becomes a target account, leads are rebuilt, key-page settings change: all of them
    # rescore without visitor activity.
    accounts = data_dir / "accounts.csv"
    accounts.write_text("domain,name,industry,employees,owner,tier\nalpha.example,Alpha Industries,Tools,90,ana,1\n")
    cli(data_dir, "accounts", "import", str(accounts))
    cli(data_dir, "rebuild-leads", "--site", site)
    cli(data_dir, "site", "config", site, "--set", "lead_key_pages=/contact*:20,/pricing*:30")
    pricing_30 = {"signal": "key_page:/pricing*", "value": "1 view", "points": 30}
    wait_for(lambda: pricing_30 in lead_named(server, key, site, "Alpha Industries")["score_explanation"],
             "the settings rescore")
    assert lead_named(server, key, site, "Alpha Industries")["score"] > warm
    # Delta's new lead (above 0) comes after those changes in the feed: once it alerted, they were evaluated.
    visit(server, site, DELTA, "/")
    wait_for(lambda: len(hook.state["deliveries"]) >= 2, "Delta's alert")
    assert [(e["rule"], e["status"]) for e in log_entries(data_dir)] == [("low", "delivered")] * 2

    # Alpha comes back (another visitor: a new visit) and views the contact page.
    safari = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
              "(KHTML, like Gecko) Version/17.5 Safari/605.1.15")
    response = server.beacon(pageview(site, "/contact"), user_agent=safari, headers={"X-Forwarded-For": "192.0.2.11"})
    assert response.status_code == 202
    wait_for(lambda: len(log_entries(data_dir)) >= 4 and all(e["status"] == "delivered" for e in log_entries(data_dir)),
             "Alpha's return alerts")
    bodies = [verify(d, WEBHOOK_SECRET) for d in hook.state["deliveries"]]
    assert sorted(b["rule"] for b in bodies) == ["back", "contact", "low", "low"]
    assert len(log_entries(data_dir)) == 4
    reasons = {b["rule"]: b["reason"] for b in bodies}
    assert reasons["back"] == "target account Alpha Industries (tier 1) is back: visit 2"
    assert reasons["contact"] == "viewed key page /contact* (1 view)"
    back = next(b for b in bodies if b["rule"] == "back")
    assert back["lead"]["target_account"] is True and back["lead"]["account"]["tier"] == "1"


def test_alert_cli_validates_tests_lists_and_removes(site_and_key, receivers, data_dir):
    site, _ = site_and_key
    hook, chat = receivers
    cases = [
        (["--name", "x", "--webhook", hook.base, "--secret-env", "S"], "exactly one of --score-above"),
        (["--name", "x", "--score-above", "10", "--target-account-returns", "--webhook", hook.base, "--secret-env", "S"],
         "exactly one of --score-above"),
        (["--name", "x", "--score-above", "100", "--webhook", hook.base, "--secret-env", "S"], "--score-above"),
        (["--name", "x", "--key-page", "/nope*", "--webhook", hook.base, "--secret-env", "S"], "/pricing*"),
        (["--name", "x", "--score-above", "10"], "either --webhook URL or --slack-url-env"),
        (["--name", "x", "--score-above", "10", "--webhook", hook.base], "--secret-env VAR"),
        (["--name", "x", "--score-above", "10", "--webhook", "ftp://x", "--secret-env", "S"], "an http(s) URL"),
        (["--name", "Bad Name", "--score-above", "10", "--webhook", hook.base, "--secret-env", "S"], "invalid alert name"),
    ]
    for args, message in cases:
        result = run(data_dir, "alert", "add", "--site", site, *args)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
    unknown = run(data_dir, "alert", "add", "--site", "s_nosuchsite", "--name", "x", "--score-above", "1",
                  "--webhook", hook.base, "--secret-env", "S")
    assert unknown.returncode == 2 and "--site" in unknown.stderr

    # A secret file is checked when the rule is added: present and readable by its owner only.
    loose = data_dir / "loose.secret"
    loose.write_text("s3cret\n")
    os.chmod(loose, 0o644)
    for path, message in [(loose, "chmod 600"), (data_dir / "absent.secret", "absent.secret")]:
        refused = run(data_dir, "alert", "add", "--site", site, "--name", "x", "--score-above", "10",
                      "--webhook", hook.base, "--secret-file", str(path))
        assert refused.returncode == 2 and message in refused.stderr, refused.stderr
    cli(data_dir, "alert", "add", "--site", site, "--name", "hook", "--any-key-page", "--webhook", hook.base + "/in",
        "--secret-env", "HOOK_SECRET")
    cli(data_dir, "alert", "add", "--site", site, "--name", "chat", "--score-above", "50", "--slack-url-env", "CHAT_URL")
    listing = cli(data_dir, "alert", "list").splitlines()
    assert listing == [
        f"chat\t{site}\tscore above 50\tslack\tslack_url_env=CHAT_URL",
        f"hook\t{site}\tany key page\twebhook\tsecret_env=HOOK_SECRET url={hook.base}/in",
    ]

    tested = run(data_dir, "alert", "test", "hook", env={"HOOK_SECRET": "test-secret"})
    assert tested.returncode == 0 and tested.stdout.startswith("delivered: HTTP 200"), tested.stderr
    sample = verify(hook.state["deliveries"][0], "test-secret")
    assert sample["id"].startswith("dl_test_") and sample["lead"]["organisation"] == "Example Corp"
    assert hook.state["deliveries"][0]["headers"]["Footfall-Delivery"] == sample["id"]
    missing = run(data_dir, "alert", "test", "chat", env={"CHAT_URL": ""})
    assert missing.returncode == 2 and "CHAT_URL" in missing.stderr
    chat.inject({"type": "status", "status": 404, "body": {"error": "no_service"}})
    refused = run(data_dir, "alert", "test", "chat", env={"CHAT_URL": chat.base + SLACK_PATH})
    assert refused.returncode == 1 and "HTTP 404" in refused.stdout and "s3cretSlackToken" not in refused.stdout
    ok = run(data_dir, "alert", "test", "chat", env={"CHAT_URL": chat.base + SLACK_PATH})
    assert ok.returncode == 0 and "Example Corp" in chat.state["messages"][0]["body"]["text"]

    assert run(data_dir, "alert", "remove", "hook").returncode == 0
    gone = run(data_dir, "alert", "remove", "hook")
    assert gone.returncode == 2 and "no alert named 'hook'" in gone.stderr
    assert cli(data_dir, "alert", "list").splitlines() == [listing[0]]


def test_a_receiver_that_asks_to_wait_is_not_retried_sooner(alert_server, site_and_key, receivers, data_dir):
    """A 429 with `Retry-After` (RFC 9110 §10.2.3) schedules the next attempt that far out,
    instead of the policy's 1 s first backoff."""
    server, _ = alert_server
    site, _ = site_and_key
    _, chat = receivers
    cli(data_dir, "alert", "add", "--site", site, "--name", "chat", "--score-above", "0",
        "--slack-url-env", "FOOTFALL_SLACK_URL")
    chat.inject({"type": "status", "status": 429, "retry_after": 60})
    visit(server, site, ALPHA, "/")
    entry = wait_for(lambda: next((e for e in log_entries(data_dir) if e["attempts"] == 1), None), "the first attempt")
    assert (entry["status"], entry["http_status"]) == ("pending", 429)
    assert 59_000 <= entry["next_attempt_at"] - entry["updated_at"] <= 61_000
    # Without the header the retry would come within about a second.
    time.sleep(3)
    assert [r[0] for r in chat.requests].count("POST") == 1
    assert log_entries(data_dir)[0]["attempts"] == 1
