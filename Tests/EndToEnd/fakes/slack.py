"""A fake Slack incoming webhook (`POST /services/T…/B…/…`).

Validates as Slack does: a JSON object with `text` or `blocks` (else 400 `no_text`), `blocks`
a list of objects with a `type` (else 400 `invalid_blocks`); answers 200 with the plain-text
body `ok`. Records each request's headers and parsed body. Faults as in `base.py`.
"""
from .base import FakeHandler, FakeServer


class SlackHandler(FakeHandler):
    @staticmethod
    def initial_state():
        return {"messages": []}

    def route(self, method, path, query, body):
        if method != "POST" or not path.startswith("/services/"):
            return 404, "no_service", {}
        if not isinstance(body, dict) or not (body.get("text") or body.get("blocks")):
            return 400, "no_text", {}
        blocks = body.get("blocks", [])
        if not isinstance(blocks, list) or not all(isinstance(b, dict) and "type" in b for b in blocks):
            return 400, "invalid_blocks", {}
        self.fake.state["messages"].append({"headers": dict(self.headers), "body": body})
        return 200, "ok", {}

    def send_json(self, status, body, headers=None):
        if not isinstance(body, str):
            return super().send_json(status, body, headers)
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def start():
    return FakeServer(SlackHandler).start()
