"""A stand-in for a remote Footfall's change feed (`GET /api/v1/leads/changes`), serving
generated leads in the Lead API's snake_case shape, for `footfall export --from-api`."""
from .base import FakeHandler, FakeServer


def make_lead(seq, site_id=1, score=None, domain=None):
    """The lead whose latest change is `seq`; every field of FootfallCore.Lead."""
    return {
        "id": f"ld_{seq:016x}", "site_id": site_id, "organisation": f"Company {seq}",
        "domain": f"company{seq}.example" if domain is None else domain, "asn": 64500 + seq % 100,
        "network_type": "business", "country": "DE", "region": "", "city": "",
        "match_source": "mmdb", "confidence": "medium",
        "first_seen": 1_764_000_000_000 + seq, "last_seen": 1_764_400_000_000 + seq,
        "visits": 1 + seq % 7, "visitors": 1, "returning_visits": seq % 3, "pageviews": 2 + seq % 11,
        "engaged_ms": 1000 * (seq % 300), "key_pages": {"/pricing*": 1 + seq % 4} if seq % 2 else {},
        "top_pages": [{"name": "/pricing", "count": 2}, {"name": "/docs", "count": 1}],
        "sources": [{"name": "organic/Google", "count": 1}], "campaigns": [],
        "score": (seq * 37) % 101 if score is None else score, "score_explanation": [],
        "updated_at": 1_764_400_000_000 + seq, "change_seq": seq,
    }


class FeedHandler(FakeHandler):
    @staticmethod
    def initial_state():
        return {}

    def route(self, method, path, query, body):
        if self.headers.get("Authorization") != f"Bearer {self.fake.settings['key']}":
            return 401, {"type": "about:blank", "title": "Unauthorized", "status": 401}, {}
        if method != "GET" or path != "/api/v1/leads/changes":
            return 404, {"title": "Not Found", "status": 404}, {}
        cursor = int(query.get("cursor", ["0"])[0])
        limit = int(query.get("limit", ["100"])[0])
        site = query.get("site", [None])[0]  # a site key; here `s_site<N>` is the site with id N
        if site is not None and not site.startswith("s_site"):
            return 400, {"title": "Bad Request", "status": 400, "detail": f"unknown site {site}"}, {}
        leads = self.fake.settings["leads"]  # callable(after, limit, site id) -> list
        changes = leads(cursor, limit, int(site[len("s_site"):]) if site else None)
        next_cursor = str(changes[-1]["change_seq"]) if changes else None
        return 200, {"changes": changes, "next_cursor": next_cursor}, {}


def generated(count):
    """Leads 1…count, each changed once, made on demand (memory stays flat for the bench)."""
    def page(after, limit, site):
        return [make_lead(seq) for seq in range(after + 1, min(count, after + limit) + 1)]
    return page


def from_list(leads):
    """Serves a mutable list of lead changes (tests append to it): like the real feed, each
    lead once, in its latest state, at its latest change_seq."""
    def page(after, limit, site):
        latest = {}
        for lead in leads:
            if lead["id"] not in latest or lead["change_seq"] > latest[lead["id"]]["change_seq"]:
                latest[lead["id"]] = lead
        chosen = sorted((l for l in latest.values() if l["change_seq"] > after and (site is None or l["site_id"] == site)),
                        key=lambda l: l["change_seq"])
        return chosen[:limit]
    return page


def start(key, leads):
    return FakeServer(FeedHandler, key=key, leads=leads).start()


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("--key", required=True)
    parser.add_argument("--count", type=int, required=True)
    args = parser.parse_args()
    server = start(args.key, generated(args.count))
    print(server.port, flush=True)
    server.thread.join()
