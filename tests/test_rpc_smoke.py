"""Log in over JSON-RPC and read a record of each addon, as an integration or a mobile client would."""

import pytest

from .rpc import JsonRpc, RpcError


def test_version(server):
    url, db = server
    admin = JsonRpc(url, db, "admin", "admin")
    version = admin.call("common", "version")
    assert version["server_serie"] == "18.0"


def test_modules_installed(admin):
    mods = admin.execute("ir.module.module", "search_read",
                         [("name", "in", ["crm_plus", "crm_plus_service", "crm_plus_reports"])],
                         fields=["name", "state"])
    assert {m["name"]: m["state"] for m in mods} == dict.fromkeys(
        ["crm_plus", "crm_plus_service", "crm_plus_reports"], "installed")


def test_crm_plus_record(admin):
    model, res_id = admin.ref("crm_plus.customer_level_strategic")
    [level] = admin.execute(model, "read", [res_id], fields=["name", "code"])
    assert level["code"] == "A"


def test_crm_plus_service_record(admin):
    model, res_id = admin.ref("crm_plus_service.ticket_stage_new")
    [stage] = admin.execute(model, "read", [res_id], fields=["name", "is_closed"])
    assert stage["is_closed"] is False
    ticket = admin.execute("crm_plus.ticket", "create", [{"name": "RPC ticket"}])
    [row] = admin.execute("crm_plus.ticket", "read", ticket, fields=["number", "stage_id"])
    assert row["number"].startswith("TK") and row["stage_id"][0] == res_id


def test_crm_plus_reports_record(admin):
    partner = admin.execute("res.partner", "create", [{"name": "RPC Customer Co", "is_company": True}])
    rows = admin.execute("crm_plus.report.customer", "search_read", [("partner_id", "in", partner)],
                         fields=["customer_count", "open_opportunity_count"])
    assert rows == [{"id": partner[0], "customer_count": 1, "open_opportunity_count": 0}]


def test_wrong_password_refused(server):
    url, db = server
    with pytest.raises(RpcError):
        JsonRpc(url, db, "admin", "not-the-password")
