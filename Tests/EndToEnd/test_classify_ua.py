"""`footfall classify-ua`: one User-Agent per stdin line, one JSON object per stdout line."""
import json
import subprocess

from conftest import BIN

CASES = [
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
     {"browser": "Safari", "browser_version": "17", "os": "macOS", "os_version": "10", "device": "desktop", "bot": False}),
    ("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 "
     "Chrome/117.0.0.0 Mobile Safari/537.36",
     {"browser": "Samsung Internet", "browser_version": "24", "os": "Android", "os_version": "14", "device": "mobile",
      "bot": False}),
    ("Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
     "Mobile/15E148 Safari/604.1",
     {"browser": "Safari", "browser_version": "17", "os": "iPadOS", "os_version": "17", "device": "tablet", "bot": False}),
    ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
     {"browser": "Chrome", "browser_version": "126", "os": "ChromeOS", "os_version": "14541", "device": "desktop", "bot": False}),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
     {"browser": "Googlebot", "browser_version": "", "os": "Other", "os_version": "", "device": "bot", "bot": True}),
    ("", {"browser": "Other", "browser_version": "", "os": "Other", "os_version": "", "device": "other", "bot": False}),
]


def run(stdin: bytes) -> list:
    result = subprocess.run([BIN, "classify-ua"], input=stdin, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_one_json_object_per_line():
    out = run("".join(ua + "\n" for ua, _ in CASES).encode())
    assert out == [expected for _, expected in CASES]


def test_bad_input_is_other_and_keeps_line_count():
    lines = [b"\xff\xfe\x00binary", b"Mozilla/5.0 \xc3\x28 invalid utf-8", b"(" * 20_000, b"curl/8.5.0\r"]
    out = run(b"\n".join(lines))  # no trailing newline on the last line
    assert len(out) == 4
    for record in out[:3]:
        assert record["browser"] == "Other" and record["device"] == "other" and record["bot"] is False
    assert out[3]["bot"] is True and out[3]["device"] == "bot"
