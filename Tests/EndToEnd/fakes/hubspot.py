"""Fake HubSpot CRM v3: the properties API and companies batch upsert, as documented.

Validation reproduced: Bearer private-app token (401 INVALID_AUTHENTICATION), ≤ 100 inputs
per batch (400 VALIDATION_ERROR), `idProperty` must name a unique-value property (400),
unknown properties refused (400 PROPERTY_DOESNT_EXIST), duplicate ids in one batch (400),
the ten-secondly rolling limit (429 RATE_LIMIT / TEN_SECONDLY_ROLLING, 190 per 10 s by
default). A `partial` fault refuses the inputs whose id is in `fail_ids` with a 207
Multi-Status answer naming their objectWriteTraceId; the others are applied.
"""
import itertools
import time

from .base import FakeHandler, FakeServer, RollingWindow

DEFAULT_PROPERTIES = {
    "name": {"name": "name", "type": "string", "fieldType": "text", "hasUniqueValue": False},
    "domain": {"name": "domain", "type": "string", "fieldType": "text", "hasUniqueValue": False},
}
MAX_INPUTS = 100


class HubSpotHandler(FakeHandler):
    @staticmethod
    def initial_state():
        return {"properties": {k: dict(v) for k, v in DEFAULT_PROPERTIES.items()}, "companies": {},
                "ids": itertools.count(1001), "window": None}

    def error_body(self, status, message=None):
        if status == 429:
            return {"status": "error", "message": "You have reached your ten_secondly_rolling limit.",
                    "errorType": "RATE_LIMIT", "correlationId": "c0ffee00-0000-4000-8000-000000000000",
                    "policyName": "TEN_SECONDLY_ROLLING"}
        return {"status": "error", "message": message or "internal error", "category": "INTERNAL_ERROR",
                "correlationId": "c0ffee00-0000-4000-8000-000000000001"}

    def summary(self):
        companies = self.fake.state["companies"]
        return {"requests": len(self.fake.requests), "companies": len(companies),
                "writes": sum(c["writes"] for c in companies.values())}

    def fail(self, status, category, message):
        return status, {"status": "error", "message": message, "category": category,
                        "correlationId": "c0ffee00-0000-4000-8000-000000000002"}, {}

    def route(self, method, path, query, body):
        state = self.fake.state
        if self.headers.get("Authorization") != f"Bearer {self.fake.settings['token']}":
            return self.fail(401, "INVALID_AUTHENTICATION",
                             "Authentication credentials not found. This API supports OAuth 2.0 authentication")
        if state["window"] is None:
            state["window"] = RollingWindow(self.fake.settings.get("limit", 190), self.fake.settings.get("seconds", 10))
        if not state["window"].allow():
            return 429, self.error_body(429), {}
        if path.startswith("/crm/v3/properties/companies"):
            return self.properties(method, path, body)
        if method == "POST" and path == "/crm/v3/objects/companies/batch/upsert":
            return self.upsert(body)
        return self.fail(404, "OBJECT_NOT_FOUND", "resource not found")

    def properties(self, method, path, body):
        props = self.fake.state["properties"]
        name = path[len("/crm/v3/properties/companies"):].strip("/")
        if method == "GET" and name:
            if name not in props:
                return self.fail(404, "OBJECT_NOT_FOUND", f"Unable to find property {name}")
            return 200, props[name], {}
        if method == "POST" and not name:
            missing = [f for f in ("name", "label", "type", "fieldType", "groupName") if f not in (body or {})]
            if missing:
                return self.fail(400, "VALIDATION_ERROR", f"missing fields {missing}")
            if body["name"] in props:
                return self.fail(409, "OBJECT_ALREADY_EXISTS", f"A property named '{body['name']}' already exists.")
            if body["type"] not in ("string", "number", "date", "datetime", "enumeration", "bool"):
                return self.fail(400, "VALIDATION_ERROR", f"invalid type {body['type']}")
            props[body["name"]] = dict(body, hasUniqueValue=bool(body.get("hasUniqueValue")))
            return 201, props[body["name"]], {}
        return self.fail(405, "VALIDATION_ERROR", "method not allowed")

    def upsert(self, body):
        props = self.fake.state["properties"]
        inputs = (body or {}).get("inputs")
        if not isinstance(inputs, list) or not inputs:
            return self.fail(400, "VALIDATION_ERROR", "inputs must be a non-empty array")
        if len(inputs) > MAX_INPUTS:
            return self.fail(400, "VALIDATION_ERROR", f"Batch input limit exceeded: {len(inputs)} > {MAX_INPUTS}")
        ids = [i.get("id") for i in inputs]
        if len(set(ids)) != len(ids):
            return self.fail(400, "VALIDATION_ERROR", "Duplicate IDs found in batch input")
        for item in inputs:
            id_property = item.get("idProperty")
            if id_property not in props or not props[id_property].get("hasUniqueValue"):
                return self.fail(400, "VALIDATION_ERROR",
                                 f"idProperty {id_property} is not a unique-value property")
            if not isinstance(item.get("id"), str) or not isinstance(item.get("properties"), dict):
                return self.fail(400, "VALIDATION_ERROR", "each input needs id and properties")
            unknown = sorted(set(item["properties"]) - set(props))
            if unknown:
                return self.fail(400, "VALIDATION_ERROR",
                                 f"Property values were not valid: PROPERTY_DOESNT_EXIST {unknown}")
        fail_ids = set((self.partial or {}).get("fail_ids", []))
        now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        results, errors = [], []
        for item in inputs:
            if item["id"] in fail_ids:
                errors.append({"status": "error", "category": "VALIDATION_ERROR",
                               "message": "Property values were not valid",
                               "context": {"objectWriteTraceId": [item.get("objectWriteTraceId", "")]}})
                continue
            companies = self.fake.state["companies"]
            key = item["id"]
            new = key not in companies
            if new:
                companies[key] = {"id": str(next(self.fake.state["ids"])), "properties": {}, "createdAt": now, "writes": 0}
            company = companies[key]
            company["properties"].update(item["properties"])
            company["properties"][item["idProperty"]] = key
            company["writes"] += 1
            results.append({"id": company["id"], "properties": dict(company["properties"]), "new": new,
                            "createdAt": company["createdAt"], "updatedAt": now, "archived": False,
                            "objectWriteTraceId": item.get("objectWriteTraceId")})
        answer = {"status": "COMPLETE", "results": results, "startedAt": now, "completedAt": now}
        if errors:
            answer.update(numErrors=len(errors), errors=errors)
            return 207, answer, {}
        return 200, answer, {}


def start(token="pat-na1-test", limit=190, seconds=10):
    return FakeServer(HubSpotHandler, token=token, limit=limit, seconds=seconds).start()


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", default="pat-na1-test")
    parser.add_argument("--limit", type=int, default=190)
    args = parser.parse_args()
    server = start(args.token, args.limit)
    print(server.port, flush=True)
    server.thread.join()
