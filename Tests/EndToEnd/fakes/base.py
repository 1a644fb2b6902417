"""A loopback HTTP server for fake SaaS APIs, with a queue of injected faults.

Faults are consumed by the next request whose path contains `path` and whose method is
`method` (each default: any):
  {"type": "status", "status": 429|500|503, "body": {...}, "retry_after": 1}  answer without applying
  {"type": "timeout", "seconds": 3}      wait, then close without applying (the client times out)
  {"type": "reset_before"}               reset the connection before applying
  {"type": "drop_after"}                 apply the write, then reset instead of answering
  {"type": "partial", "fail_ids": [...]} vendor-specific partial batch failure (see each fake)
"""
import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class FakeServer:
    """Runs a vendor handler on 127.0.0.1 in a background thread."""

    def __init__(self, handler_class, **settings):
        self.lock = threading.Lock()
        self.faults = []
        self.requests = []  # (method, path, body) of every request, control endpoints excluded
        self.settings = settings
        self.state = handler_class.initial_state()
        handler = type("Handler", (handler_class,), {"fake": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def inject(self, *faults):
        with self.lock:
            self.faults.extend(faults)

    def take_fault(self, method, path):
        with self.lock:
            for index, fault in enumerate(self.faults):
                if fault.get("path", "") in path and fault.get("method", method) == method:
                    return self.faults.pop(index)
        return None


class FakeHandler(BaseHTTPRequestHandler):
    """Parses the request, applies faults, and dispatches to `route(method, path, query, body)`.

    A route returns (status, body, headers) or calls `self.apply(fn)` around its write so that
    `drop_after` can apply the write and then drop the connection."""

    fake = None
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY the client's delayed ACK
    # would add 40 ms to every answer.
    disable_nagle_algorithm = True

    @staticmethod
    def initial_state():
        return {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PATCH(self):
        self.handle_any("PATCH")

    def do_PUT(self):
        self.handle_any("PUT")

    def reset(self):
        """Closes the connection with a TCP reset (no response)."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def handle_any(self, method):
        url = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if url.path == "/__state":
            with self.fake.lock:
                return self.send_json(200, self.summary())
        if url.path == "/__faults":
            self.fake.inject(*json.loads(raw))
            return self.send_json(200, {"queued": len(self.fake.faults)})
        with self.fake.lock:
            self.fake.requests.append((method, url.path, raw))
        fault = self.fake.take_fault(method, url.path)
        self.drop_after_write = False
        self.partial = None
        self.raw = raw
        if fault:
            kind = fault["type"]
            if kind == "status":
                headers = {"Retry-After": str(fault["retry_after"])} if "retry_after" in fault else {}
                return self.send_json(fault["status"], fault.get("body") or self.error_body(fault["status"]), headers)
            if kind == "timeout":
                time.sleep(fault.get("seconds", 3))
                return self.reset()
            if kind == "reset_before":
                return self.reset()
            if kind == "drop_after":
                self.drop_after_write = True
            if kind == "partial":
                self.partial = fault
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return self.send_json(400, self.error_body(400, "request body is not JSON"))
        with self.fake.lock:
            status, answer, headers = self.route(method, url.path, parse_qs(url.query), body)
        if self.drop_after_write:
            return self.reset()
        self.send_json(status, answer, headers)

    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def error_body(self, status, message=None):
        return {"status": "error", "message": message or f"fake error {status}"}

    def summary(self):
        """What `GET /__state` reports (for a fake run as a separate process)."""
        return {"requests": len(self.fake.requests)}


class RollingWindow:
    """Counts requests in a rolling window, the way the vendors describe their limits."""

    def __init__(self, limit, seconds):
        self.limit, self.seconds, self.times = limit, seconds, []

    def allow(self):
        now = time.monotonic()
        self.times = [t for t in self.times if now - t < self.seconds]
        if len(self.times) >= self.limit:
            return False
        self.times.append(now)
        return True
