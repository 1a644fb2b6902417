#!/usr/bin/env python3
"""Regenerates Fixtures/UserAgents/longtail-{tuning,heldout}.tsv: a sample of long-tail real
User-Agents (phones, tablets, TVs, consoles, feature phones, apps, bots) labelled by two
independent parsers, split into a part the classifier may be tuned on and a held-out part.

Sources (pinned commits; see Fixtures/UserAgents/README.md for licences):
  * matomo-org/device-detector Tests/fixtures/*.yml (except client-hints files): UAs with
    device-detector's labels (client, OS, device type; bots.yml for bots).
  * monperrus/crawler-user-agents crawler-user-agents.json (`instances`): curated bots.
Second labeller: ua-parser 1.0.2 + ua-parser-builtins 202610 (uap-core's regexes).

A field is labelled only where both parsers agree after mapping names to Footfall's
vocabulary; otherwise it is `?` (not scored). uap-core has no device class, so its opinion is
derived from its OS and device family (desktop OS → desktop, iPad/Kindle → tablet, iOS and
Android phones → mobile, anything else → other); bots come from the two curated bot lists.

Usage:  pip install ua-parser==1.0.2 ua-parser-builtins==202610 pyyaml
        python3 scripts/generate-ua-longtail.py DEVICE_DETECTOR_CHECKOUT CRAWLER_USER_AGENTS_JSON
"""
import glob
import hashlib
import json
import os
import pathlib
import random
import sys

import yaml
from ua_parser import parse

# Rows sampled per device-detector fixture family (the fixtures are ~70% Android phones).
CAPS = {"smartphone": 1300, "tablet": 700, "tv": 500, "phablet": 250, "desktop": 400, "podcasting": 150,
        "bots": 700, "unknown": 0}
DEFAULT_CAP = 200
CRAWLER_SAMPLE = 500

BROWSERS = {
    # device-detector and uap-core names → Footfall's
    "Chrome Mobile": "Chrome", "Chrome Webview": "Chrome", "Chrome Mobile WebView": "Chrome", "Chromium": "Chrome",
    "Chrome Mobile iOS": "Chrome", "HeadlessChrome": "Chrome",
    "Mobile Safari": "Safari", "Mobile Safari UI/WKWebView": "Safari",
    "Firefox Mobile": "Firefox", "Firefox iOS": "Firefox", "Firefox Beta": "Firefox", "Firefox Focus": "Firefox",
    "Microsoft Edge": "Edge", "Edge Mobile": "Edge",
    "Opera Mobile": "Opera", "Opera Mini": "Opera", "Opera GX": "Opera", "Opera Touch": "Opera", "Opera Tablet": "Opera",
    "Samsung Browser": "Samsung Internet", "Yandex Browser": "Yandex", "Yandex Browser Lite": "Yandex",
    "UC Browser Turbo": "UC Browser", "UC Browser Mini": "UC Browser",
    "Android": "Android Browser", "Mi Browser": "MIUI Browser", "MiuiBrowser": "MIUI Browser",
    "QQ Browser Mobile": "QQ Browser", "QQ Browser Mini": "QQ Browser", "Coc Coc": "Coc Coc",
    "IE": "Internet Explorer", "IE Mobile": "Internet Explorer", "Mobile Silk": "Amazon Silk",
    "DuckDuckGo Mobile": "DuckDuckGo", "DuckDuckGo Privacy Browser": "DuckDuckGo",
}
OSES = {"Mac": "macOS", "Mac OS X": "macOS", "Chrome OS": "ChromeOS", "GNU/Linux": "Linux", "Fire OS": "Android",
        "Android TV": "Android", "Windows RT": "Windows"}
LINUX = {"Ubuntu", "Kubuntu", "Fedora", "Debian", "Linux Mint", "SUSE", "Gentoo", "Red Hat", "CentOS", "Slackware",
         "Mandriva", "Mageia", "Arch Linux"}
DESKTOP_OS = {"Windows", "macOS", "Linux", "ChromeOS", "FreeBSD", "OpenBSD", "NetBSD", "Solaris"}
DEVICES = {"smartphone": "mobile", "phablet": "mobile", "feature phone": "mobile", "tablet": "tablet",
           "desktop": "desktop"}


def os_name(name):
    if not name:
        return "Other"
    if name in LINUX:
        return "Linux"
    return OSES.get(name, name)


def uap_labels(ua):
    result = parse(ua)
    browser = BROWSERS.get(result.user_agent.family, result.user_agent.family) if result.user_agent else "Other"
    os = os_name(result.os.family) if result.os else "Other"
    family = result.device.family if result.device else "Other"
    if os == "iOS" and family == "iPad":
        os = "iPadOS"
    if family == "Spider":
        device = "bot"
    elif os in DESKTOP_OS:
        device = "desktop"
    elif os == "iPadOS" or family.startswith("Kindle"):
        device = "tablet"
    elif os in ("iOS", "Android"):
        device = "mobile" if "Mobile" in ua or os == "iOS" else "tablet"
    else:
        device = "other"
    return browser, os, device


def agreed(a, b):
    return a if a == b else "?"


def main():
    checkout, crawlers = sys.argv[1], sys.argv[2]
    rng = random.Random(11)
    rows, seen = [], set()

    def add(source, browser, os, device, bot, ua):
        ua = ua.strip()
        if not ua or ua in seen or "\t" in ua or "\n" in ua:
            return
        seen.add(ua)
        rows.append((source, browser, os, device, bot, ua))

    for path in sorted(glob.glob(os.path.join(checkout, "Tests", "fixtures", "*.yml"))):
        name = pathlib.Path(path).stem
        if name.startswith("clienthints"):
            continue
        family = name.split("-")[0]
        entries = [e for e in yaml.load(open(path, encoding="utf-8"), Loader=yaml.CSafeLoader) or []
                   if isinstance(e.get("user_agent"), str) and not e.get("headers")]
        for entry in entries:
            entry["_family"] = family
        rows_by_family.setdefault(family, []).extend(entries)
    for family, entries in sorted(rows_by_family.items()):
        rng.shuffle(entries)
        for entry in entries[:CAPS.get(family, DEFAULT_CAP)]:
            ua = entry["user_agent"]
            if family == "bots":
                add("device-detector/bots", "?", "?", "bot", "1", ua)
                continue
            u_browser, u_os, u_device = uap_labels(ua)
            client = entry.get("client") or {}
            dd_browser = BROWSERS.get(client.get("name"), client.get("name")) if client.get("type") == "browser" else None
            dd_os = os_name((entry.get("os") or {}).get("name"))
            dd_type = (entry.get("device") or {}).get("type") or ""
            dd_device = DEVICES.get(dd_type, "other" if dd_type else None)
            browser = agreed(dd_browser, u_browser) if dd_browser else "?"
            device = agreed(dd_device, u_device) if dd_device else "?"
            bot = "?" if u_device == "bot" else "0"
            add("device-detector/" + family, browser, agreed(dd_os, u_os), device, bot, ua)
    instances = [ua for entry in json.load(open(crawlers, encoding="utf-8")) for ua in entry.get("instances", [])]
    rng.shuffle(instances)
    for ua in instances[:CRAWLER_SAMPLE]:
        add("crawler-user-agents", "?", "?", "bot", "1", ua)

    out = pathlib.Path(__file__).resolve().parent.parent / "Fixtures" / "UserAgents"
    header = "# source\tbrowser\tos\tdevice\tbot\tuser_agent   (? = the two labellers disagree: not scored)\n"
    parts = {"tuning": [], "heldout": []}
    for row in rows:
        # A stable split by the UA's hash: tuning may be read while fixing the classifier, held-out not.
        part = "heldout" if hashlib.sha1(row[-1].encode()).digest()[0] % 2 else "tuning"
        parts[part].append(row)
    for part, part_rows in parts.items():
        with (out / f"longtail-{part}.tsv").open("w", encoding="utf-8") as f:
            f.write(header)
            for row in part_rows:
                f.write("\t".join(row) + "\n")
        print(f"{part}: {len(part_rows)} user agents")


rows_by_family = {}

if __name__ == "__main__":
    main()
