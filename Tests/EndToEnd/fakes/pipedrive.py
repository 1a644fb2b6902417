"""Fake Pipedrive API v1 organizations (search, get, add, update) and organization fields (list, add).

`x-api-token` header or `api_token` query (401 "unauthorized access"); search needs `term`
of at least 2 characters (400); token-based rate limit reported in `x-ratelimit-limit`,
`x-ratelimit-remaining` and `x-ratelimit-reset` (seconds) on every answer, 429 when spent.
The search index is immediate here (Pipedrive's may lag; the sink's look-before-create
covers what the fake can show: a create whose answer was lost).

Organization fields: `GET /api/v1/organizationFields?start=&limit=` pages through the built-in
fields and the custom ones (the domain field, and those added); `POST` adds a custom field
(`name`, `field_type` from Pipedrive's list) under a generated 40-hex-digit key. As Pipedrive
does, an organization write keeps custom values only under known keys and ignores the rest.
"""
import hashlib
import itertools
import time

from .base import FakeHandler, FakeServer


class PipedriveHandler(FakeHandler):
    @staticmethod
    def initial_state():
        return {"orgs": {}, "ids": itertools.count(1), "window_start": time.monotonic(), "used": 0,
                "fields": None, "field_ids": itertools.count(4001)}

    def summary(self):
        return {"requests": len(self.fake.requests), "orgs": len(self.fake.state["orgs"])}

    def error_body(self, status, message=None):
        return {"success": False, "error": message or "fake error", "errorCode": status}

    def route(self, method, path, query, body):
        state, settings = self.fake.state, self.fake.settings
        token = self.headers.get("x-api-token") or query.get("api_token", [None])[0]
        if token != settings["token"]:
            return 401, {"success": False, "error": "unauthorized access", "errorCode": 401}, {}
        now = time.monotonic()
        if now - state["window_start"] >= settings["seconds"]:
            state["window_start"], state["used"] = now, 0
        reset = max(1, int(settings["seconds"] - (now - state["window_start"]) + 0.999))
        if state["used"] >= settings["limit"]:
            return 429, {"success": False, "error": "Request over limit", "errorCode": 429}, {
                "x-ratelimit-limit": str(settings["limit"]), "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
        state["used"] += 1
        headers = {"x-ratelimit-limit": str(settings["limit"]),
                   "x-ratelimit-remaining": str(settings["limit"] - state["used"]), "x-ratelimit-reset": str(reset)}
        status, answer = self.dispatch(method, path, query, body)
        return status, answer, headers

    FIELD_TYPES = {"varchar", "varchar_auto", "text", "double", "monetary", "date", "set", "enum", "user", "org",
                   "people", "phone", "time", "timerange", "daterange", "address"}

    def fields(self):
        state = self.fake.state
        if state["fields"] is None:
            state["fields"] = [
                {"id": 1, "key": "name", "name": "Name", "field_type": "varchar", "edit_flag": False},
                {"id": 2, "key": "owner_id", "name": "Owner", "field_type": "user", "edit_flag": False},
                {"id": 3, "key": "address", "name": "Address", "field_type": "address", "edit_flag": False},
                {"id": 4000, "key": self.fake.settings["domain_field"], "name": "Domain", "field_type": "varchar",
                 "edit_flag": True},
            ] + list(self.fake.settings.get("extra_fields", []))
        return state["fields"]

    def clean(self, body):
        """The organization's values as Pipedrive keeps them: unknown 40-hex custom keys dropped."""
        keys = {f["key"] for f in self.fields()}
        return {k: v for k, v in (body or {}).items()
                if not (len(k) == 40 and all(c in "0123456789abcdef" for c in k)) or k in keys}

    def dispatch(self, method, path, query, body):
        orgs, field = self.fake.state["orgs"], self.fake.settings["domain_field"]
        if method == "GET" and path == "/api/v1/organizationFields":
            start = int(query.get("start", ["0"])[0])
            limit = min(500, int(query.get("limit", ["100"])[0]))
            page = self.fields()[start:start + limit]
            more = start + limit < len(self.fields())
            pagination = {"start": start, "limit": limit, "more_items_in_collection": more}
            if more:
                pagination["next_start"] = start + limit
            return 200, {"success": True, "data": page, "additional_data": {"pagination": pagination}}
        if method == "POST" and path == "/api/v1/organizationFields":
            name, kind = (body or {}).get("name"), (body or {}).get("field_type")
            if not name or kind not in self.FIELD_TYPES:
                return 400, {"success": False, "error": "Field name and a valid field_type must be given.", "errorCode": 400}
            field_id = next(self.fake.state["field_ids"])
            created = {"id": field_id, "key": hashlib.sha1(f"{field_id}:{name}".encode()).hexdigest(), "name": name,
                       "field_type": kind, "edit_flag": True}
            self.fields().append(created)
            return 200, {"success": True, "data": created}
        if method == "GET" and path == "/api/v1/organizations/search":
            term = query.get("term", [""])[0]
            if len(term) < 2:
                return 400, {"success": False, "error": "term must be at least 2 characters", "errorCode": 400}
            fields = query.get("fields", ["name"])[0]
            exact = query.get("exact_match", ["false"])[0] == "true"
            limit = int(query.get("limit", ["100"])[0])
            custom = [f["key"] for f in self.fields() if len(f["key"]) == 40]

            def matches(org):
                # As Pipedrive does, `custom_fields` searches every custom field, not one.
                values = [org.get(key, "") for key in custom] if fields == "custom_fields" else [org["name"]]
                return any(v == term if exact else term.lower() in str(v).lower() for v in values)
            items = [{"result_score": 1, "item": {"id": org["id"], "type": "organization", "name": org["name"]}}
                     for org in sorted(orgs.values(), key=lambda o: o["id"]) if matches(org)][:limit]
            return 200, {"success": True, "data": {"items": items}, "additional_data": {"pagination": {
                "start": 0, "limit": 100, "more_items_in_collection": False}}}
        if method == "POST" and path == "/api/v1/organizations":
            if not (body or {}).get("name"):
                return 400, {"success": False, "error": "Name must be given.", "errorCode": 400}
            org_id = next(self.fake.state["ids"])
            orgs[org_id] = dict(self.clean(body), id=org_id, writes=1)
            return 201, {"success": True, "data": {"id": org_id, "name": body["name"]}}
        if method == "GET" and path.startswith("/api/v1/organizations/"):
            org_id = int(path.rsplit("/", 1)[1])
            if org_id not in orgs:
                return 404, {"success": False, "error": "Organization not found", "errorCode": 404}
            return 200, {"success": True, "data": {k: v for k, v in orgs[org_id].items() if k != "writes"}}
        if method == "PUT" and path.startswith("/api/v1/organizations/"):
            org_id = int(path.rsplit("/", 1)[1])
            if org_id not in orgs:
                return 404, {"success": False, "error": "Organization not found", "errorCode": 404}
            orgs[org_id].update(self.clean(body))
            orgs[org_id]["writes"] += 1
            return 200, {"success": True, "data": {"id": org_id, "name": orgs[org_id]["name"]}}
        return 404, {"success": False, "error": "Unknown method", "errorCode": 404}


def start(token="pd-test-token", domain_field="9dc80c50d78a15643bfc4ca79d76156a73a1ca0e", limit=80, seconds=2,
          extra_fields=()):
    """`extra_fields`: custom organization fields the account already has, besides the domain."""
    return FakeServer(PipedriveHandler, token=token, domain_field=domain_field, limit=limit, seconds=seconds,
                      extra_fields=extra_fields).start()
