"""End-to-end fixtures: the real `footfall` binary on loopback with a temporary data dir."""
import os
import signal
import socket
import subprocess
import time
import uuid

import pytest
import requests

BIN = os.environ.get("FOOTFALL_BIN", os.path.join(os.path.dirname(__file__), "..", "..", ".build", "debug", "footfall"))
CHROME_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/126.0.0.0 Safari/537.36")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cli(data_dir, *args):
    """Runs a footfall CLI command and returns its stdout, failing the test on error."""
    result = subprocess.run([BIN, *args, "--data", str(data_dir)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


class Server:
    """A running `footfall serve` process."""

    def __init__(self, data_dir, extra_args=()):
        self.data_dir = data_dir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.extra_args = list(extra_args)
        self.process = None
        self.output = None

    def start(self):
        self.output = open(self.data_dir / f"server-{self.port}.log", "ab")
        self.process = subprocess.Popen(
            [BIN, "serve", "--data", str(self.data_dir), "--port", str(self.port), *self.extra_args],
            stdout=self.output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError("server did not start:\n" + self.log())

    def stop(self, sig=signal.SIGTERM):
        if self.process and self.process.poll() is None:
            self.process.send_signal(sig)
            self.process.wait(timeout=30)
        if self.output:
            self.output.close()
        return self.process.returncode

    def log(self):
        self.output.flush()
        return (self.data_dir / f"server-{self.port}.log").read_text(errors="replace")

    def beacon(self, body, user_agent=CHROME_UA, content_type="text/plain", headers=None):
        all_headers = {"Content-Type": content_type, "User-Agent": user_agent, **(headers or {})}
        data = body if isinstance(body, (bytes, str)) else __import__("json").dumps(body)
        return requests.post(self.base + "/e", data=data, headers=all_headers, timeout=10)

    def api(self, path, key, **params):
        return requests.get(self.base + path, params=params, headers={"Authorization": f"Bearer {key}"}, timeout=10)


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path


@pytest.fixture
def site_and_key(data_dir):
    site = cli(data_dir, "site", "create", "--name", "Acme", "--domain", "acme.test")
    key = cli(data_dir, "key", "create", "--scopes", "leads:read,stats:read")
    return site, key


@pytest.fixture
def server(data_dir, site_and_key):
    running = Server(data_dir).start()
    yield running
    running.stop()


def pageview(site, path, page_load=None, referrer=""):
    return {"s": site, "t": "pageview", "id": uuid.uuid4().hex, "u": f"https://acme.test{path}",
            "p": page_load or uuid.uuid4().hex, "r": referrer, "sw": 1920, "sh": 1080}
