"""Fake Salesforce REST API: sObject Collections upsert of Accounts by an external id.

`PATCH /services/data/vXX.X/composite/sobjects/Account/Footfall_Lead_Id__c` with
`{"allOrNone": false, "records": [...]}`: Bearer token (401 INVALID_SESSION_ID), at most
200 records (400 EXCEEDED_ID_LIMIT), each record needs `attributes.type == "Account"`, the
external id, and `Name` when it creates the Account (per-record REQUIRED_FIELD_MISSING). Answers 200 with one result per
record, in order. A `partial` fault refuses the records whose external id is in `fail_ids`
(per-record UNABLE_TO_LOCK_ROW); the others are applied.
"""
import itertools
import re

from .base import FakeHandler, FakeServer

PATH = re.compile(r"^/services/data/v\d+\.\d+/composite/sobjects/Account/Footfall_Lead_Id__c$")
MAX_RECORDS = 200


class SalesforceHandler(FakeHandler):
    @staticmethod
    def initial_state():
        return {"accounts": {}, "ids": itertools.count(1)}

    def error_body(self, status, message=None):
        return [{"message": message or "fake error", "errorCode": "SERVER_UNAVAILABLE" if status >= 500 else "REQUEST_LIMIT_EXCEEDED"}]

    def summary(self):
        return {"requests": len(self.fake.requests), "accounts": len(self.fake.state["accounts"])}

    def route(self, method, path, query, body):
        if self.headers.get("Authorization") != f"Bearer {self.fake.settings['token']}":
            return 401, [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}], {}
        if method != "PATCH" or not PATH.match(path):
            return 404, [{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}], {}
        records = (body or {}).get("records")
        if not isinstance(records, list) or body.get("allOrNone") is not False:
            return 400, [{"errorCode": "JSON_PARSER_ERROR", "message": "records and allOrNone=false expected"}], {}
        if len(records) > MAX_RECORDS:
            return 400, [{"errorCode": "EXCEEDED_ID_LIMIT", "message": "record limit reached. cannot submit more than 200 records into this call"}], {}
        fail_ids = set((self.partial or {}).get("fail_ids", []))
        results = []
        for record in records:
            key = record.get("Footfall_Lead_Id__c")
            # Name is required when the upsert creates the Account, not when it updates one.
            creating = key not in self.fake.state["accounts"]
            if (record.get("attributes") or {}).get("type") != "Account" or not key or (creating and not record.get("Name")):
                results.append({"success": False, "errors": [
                    {"statusCode": "REQUIRED_FIELD_MISSING", "message": "Required fields are missing: [Name]", "fields": ["Name"]}]})
                continue
            if key in fail_ids:
                results.append({"success": False, "errors": [
                    {"statusCode": "UNABLE_TO_LOCK_ROW", "message": "unable to obtain exclusive access to this record", "fields": []}]})
                continue
            accounts = self.fake.state["accounts"]
            created = key not in accounts
            if created:
                accounts[key] = {"Id": f"001{next(self.fake.state['ids']):015d}", "writes": 0}
            account = accounts[key]
            account.update({k: v for k, v in record.items() if k != "attributes"})
            account["writes"] += 1
            results.append({"id": account["Id"], "success": True, "errors": [], "created": created})
        return 200, results, {}


def start(token="00Dxx0000000000!token"):
    return FakeServer(SalesforceHandler, token=token).start()
