"""A webhook receiver that records each delivery's raw body and headers (answers 200)."""
from .base import FakeHandler, FakeServer


class WebhookHandler(FakeHandler):
    @staticmethod
    def initial_state():
        return {"deliveries": []}

    def route(self, method, path, query, body):
        self.fake.state["deliveries"].append({"headers": dict(self.headers), "raw": self.raw})
        return 200, {"ok": True}, {}


def start():
    return FakeServer(WebhookHandler).start()
