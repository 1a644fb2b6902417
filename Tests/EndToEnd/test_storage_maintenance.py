"""Storage maintenance from the CLI: compaction, rebuild, check and retention keep visits intact."""
import re
import subprocess

from conftest import BIN, Server, cli, pageview
from test_walking_skeleton import visits


def test_maintenance_commands_leave_visits_as_they_were(server, site_and_key, data_dir):
    site, key = site_and_key
    for path in ["/", "/pricing", "/contact"]:
        assert server.beacon(pageview(site, path)).status_code == 202
    [visit] = visits(server, site, key)
    server.stop()

    # The visit is still open (not final), so compaction leaves it hot.
    assert cli(data_dir, "compact") == "compacted 0 visits and 0 events into 0 segments"
    assert cli(data_dir, "rebuild-visits", "--site", site) == "rebuilt 1 visits (was 1) from 3 events"
    assert cli(data_dir, "check") == "checked 0 segments: ok"
    assert cli(data_dir, "retention", "--days", "30").startswith("deleted 0 segments, 0 hot visits, 0 hot events")

    restarted = Server(data_dir).start()
    try:
        assert visits(restarted, site, key) == [visit]
    finally:
        restarted.stop()


def test_maintenance_commands_reject_bad_arguments_precisely(data_dir, site_and_key):
    def run(*args):
        return subprocess.run([BIN, *args, "--data", str(data_dir)], capture_output=True, text=True, timeout=60)

    unknown = run("rebuild-visits", "--site", "nope")
    assert unknown.returncode != 0 and "unknown site key nope" in unknown.stderr
    bad_time = run("rebuild-visits", "--site", site_and_key[0], "--from", "yesterday")
    assert bad_time.returncode != 0 and "--from yesterday: not a time" in bad_time.stderr
    assert "--days must be at least 1" in run("retention", "--days", "0").stderr


def test_commands_that_rewrite_visits_refuse_to_run_under_a_live_server(server, site_and_key, data_dir):
    """The server keeps open visits in memory: a second writer of visits would race it."""
    site, key = site_and_key
    assert server.beacon(pageview(site, "/")).status_code == 202

    def run(*args):
        return subprocess.run([BIN, *args, "--data", str(data_dir)], capture_output=True, text=True, timeout=60)

    holder = rf"{re.escape(str(data_dir))} is in use by footfall serve on port {server.port} \(pid {server.process.pid}\)"
    for args, instead in [
        (["compact"], "The server compacts every minute itself."),
        (["retention", "--days", "30"], "The server applies each site's retention_days daily"),
        (["rebuild-visits", "--site", site], "Stop the server first."),
        (["erase", "--site", site, "--visitor", "1"], "DELETE /api/v1/privacy/subjects"),
    ]:
        refused = run(*args)
        assert refused.returncode != 0, args
        assert re.search(holder + rf"; `footfall {args[0]}` would race its open visits", refused.stderr), refused.stderr
        assert instead in refused.stderr
    # Reads and catalog changes still work beside the server.
    assert cli(data_dir, "check") == "checked 0 segments: ok"

    second = run("serve", "--port", "0")
    assert second.returncode != 0
    assert re.search(holder + ": one server per data directory", second.stderr), second.stderr
    assert len(visits(server, site, key)) == 1
