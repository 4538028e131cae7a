"""A small JSON-RPC client for the repo-level checks (the outside view of a real server)."""

import itertools

import requests


class RpcError(Exception):
    pass


class JsonRpc:
    _ids = itertools.count(1)

    def __init__(self, url, db, login, password):
        self.url, self.db, self.login = url.rstrip("/"), db, login
        self.session = requests.Session()
        self.uid = self.call("common", "login", db, login, password)
        if not self.uid:
            raise RpcError("login failed for %s" % login)
        self.password = password

    def call(self, service, method, *args):
        payload = {"jsonrpc": "2.0", "method": "call", "id": next(self._ids),
                   "params": {"service": service, "method": method, "args": args}}
        resp = self.session.post(self.url + "/jsonrpc", json=payload, timeout=60)
        resp.raise_for_status()
        body = resp.json()
        if body.get("error"):
            data = body["error"].get("data", {})
            raise RpcError(data.get("name", ""), data.get("message", body["error"].get("message")))
        return body["result"]

    def execute(self, model, method, *args, **kwargs):
        return self.call("object", "execute_kw", self.db, self.uid, self.password, model, method, list(args), kwargs)

    def ref(self, xmlid):
        module, name = xmlid.split(".", 1)
        rows = self.execute("ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)],
                            fields=["model", "res_id"])
        assert rows, "no record %s" % xmlid
        return rows[0]["model"], rows[0]["res_id"]
