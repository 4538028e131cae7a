"""The inbound API over real HTTP: authentication (client token, API key), scopes, isolation between clients,
rate limit, validation naming the fields, idempotency on the external id, and the OpenAPI description."""

import json
from datetime import datetime, timedelta
from pathlib import Path

from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

PREFIX = "/api/crm_plus/v1"
OPENAPI = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


class ApiCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, lang="en_US"))
        Client = cls.env["crm_plus.api.client"]
        integration = "crm_plus.group_crm_plus_integration"
        cls.user_a = new_test_user(cls.env, login="api_shop_a", groups=integration)
        cls.user_b = new_test_user(cls.env, login="api_shop_b", groups=integration)
        cls.client_a = Client.create({"name": "Shop A", "user_id": cls.user_a.id, "scope_orders": True,
                                      "scope_tickets": True})
        cls.client_b = Client.create({"name": "Shop B", "user_id": cls.user_b.id})
        cls.token_a = cls.client_a.action_generate_token()["params"]["message"]
        cls.token_b = cls.client_b.action_generate_token()["params"]["message"]
        cls.env["crm_plus.routing.rule"].search([]).action_archive()

    def call(self, path, body=None, token=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if token is not False:
            headers["Authorization"] = "Bearer %s" % (token or self.token_a)
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        response = self.url_open(PREFIX + path, data=data, headers=headers)
        return response.status_code, response.json(), response.headers


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestApiLeads(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = new_test_user(cls.env, login="api_seller", groups="crm_plus.group_crm_plus_user")
        team = cls.env["crm.team"].create({"name": "Web leads", "member_ids": [(4, cls.seller.id)]})
        cls.env["crm_plus.routing.rule"].create({"name": "Web", "team_id": team.id, "strategy": "round_robin"})

    def test_create_lead_routed_with_utm_and_replay(self):
        body = {"external_id": "form-1", "name": "Website enquiry", "contact_name": "王芳", "email": "wf@example.cn",
                "phone": "13800001111", "utm_source": "Baidu", "utm_medium": "cpc", "utm_campaign": "Spring"}
        status, first, _headers = self.call("/leads", body)
        self.assertEqual(status, 201, first)
        lead = self.env["crm.lead"].browse(first["id"])
        self.assertEqual(lead.name, "Website enquiry")
        self.assertEqual((lead.source_id.name, lead.medium_id.name, lead.campaign_id.name), ("Baidu", "cpc", "Spring"))
        self.assertEqual(lead.create_uid, self.user_a)
        self.assertEqual(lead.user_id, self.seller, "routed by the rule like any lead")
        status, again, headers = self.call("/leads", dict(body, name="Changed"))
        self.assertEqual((status, again), (200, first))
        self.assertEqual(headers.get("Idempotent-Replay"), "true")
        self.assertEqual(self.env["crm.lead"].search_count([("name", "in", ("Website enquiry", "Changed"))]), 1)
        status, read, _headers = self.call("/leads/form-1")
        self.assertEqual((status, read), (200, first))

    def test_validation_names_fields_and_creates_nothing(self):
        before = self.env["crm.lead"].search_count([])
        status, body, _headers = self.call("/leads", {"external_id": "bad-1", "email": "not-an-address",
                                                      "colour": "red"})
        self.assertEqual(status, 400)
        self.assertEqual(body["error"], "validation")
        self.assertEqual(set(body["fields"]), {"name", "email", "colour"})
        status, body, _headers = self.call("/leads", raw="{not json")
        self.assertEqual((status, body["error"]), (400, "invalid_json"))
        self.assertEqual(self.env["crm.lead"].search_count([]), before)
        self.assertFalse(self.env["crm_plus.api.request"].search([("external_id", "=", "bad-1")]))

    def test_authentication(self):
        self.assertEqual(self.call("/leads", {"external_id": "x", "name": "x"}, token=False)[0], 401)
        self.assertEqual(self.call("/leads", {"external_id": "x", "name": "x"}, token="cpi_forged")[0], 401)
        self.client_b.scope_leads = False
        status, body, _headers = self.call("/leads", {"external_id": "x", "name": "x"}, token=self.token_b)
        self.assertEqual((status, body["error"]), (403, "forbidden"))
        # a new token revokes the old one
        old = self.token_a
        self.client_a.action_generate_token()
        self.assertEqual(self.call("/leads", {"external_id": "y", "name": "y"}, token=old)[0], 401)

    def test_odoo_api_key_of_the_integration_user(self):
        key = self.env["res.users.apikeys"].with_user(self.user_b)._generate(
            "crm_plus_api", "shop b", datetime.now() + timedelta(days=30))
        status, body, _headers = self.call("/leads", {"external_id": "k-1", "name": "By API key"}, token=key)
        self.assertEqual(status, 201, body)
        self.assertEqual(self.env["crm_plus.api.request"].search([("external_id", "=", "k-1")]).client_id,
                         self.client_b)
        rpc_only = self.env["res.users.apikeys"].with_user(self.user_b)._generate(
            "rpc", "other", datetime.now() + timedelta(days=30))
        self.assertEqual(self.call("/leads", {"external_id": "k-2", "name": "x"}, token=rpc_only)[0], 401)

    def test_clients_are_isolated(self):
        status, first, _headers = self.call("/leads", {"external_id": "shared-1", "name": "A's lead"})
        self.assertEqual(status, 201)
        status, body, _headers = self.call("/leads/shared-1", token=self.token_b)
        self.assertEqual((status, body["error"]), (404, "not_found"))
        status, other, _headers = self.call("/leads", {"external_id": "shared-1", "name": "B's lead"},
                                            token=self.token_b)
        self.assertEqual(status, 201)
        self.assertNotEqual(other["id"], first["id"])

    def test_rate_limit(self):
        self.client_b.rate_limit = 2
        for i in range(2):
            self.assertEqual(self.call("/leads/none-%d" % i, token=self.token_b)[0], 404)
        status, body, headers = self.call("/leads/none-3", token=self.token_b)
        self.assertEqual((status, body["error"]), (429, "rate_limited"))
        self.assertTrue(1 <= int(headers["Retry-After"]) <= 60)
        # another client has its own counter
        self.assertEqual(self.call("/leads/none-4")[0], 404)


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestApiOrders(ApiCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({"name": "Tea set", "default_code": "TEA-1",
                                                         "list_price": 88.0, "type": "consu"})
        cls.customer = cls.env["res.partner"].create({"name": "李雷", "phone": "+86 139 0000 2222"})

    def order(self, external_id, **vals):
        return {"external_id": external_id, "shop": "tmall",
                "customer": {"name": "Li Lei", "phone": "13900002222"},
                "lines": [{"product_code": "TEA-1", "quantity": 2}], **vals}

    def test_order_matched_by_phone_never_duplicated(self):
        status, first, _headers = self.call("/orders", self.order("T-100"))
        self.assertEqual(status, 201, first)
        order = self.env["sale.order"].browse(first["id"])
        self.assertEqual(order.partner_id, self.customer, "matched through the identity keys")
        self.assertEqual((order.state, order.origin, order.client_order_ref), ("draft", "tmall", "T-100"))
        self.assertEqual(order.order_line.product_uom_qty, 2)
        status, again, _headers = self.call("/orders", self.order("T-100"))
        self.assertEqual((status, again), (200, first))
        self.assertEqual(self.env["sale.order"].search_count([("client_order_ref", "=", "T-100")]), 1)
        self.assertEqual(self.call("/orders/tmall/T-100")[1], first)
        # the same external id in another shop is another order
        status, other, _headers = self.call("/orders", self.order("T-100", shop="jd", confirm=True))
        self.assertEqual(status, 201)
        self.assertEqual(self.env["sale.order"].browse(other["id"]).state, "sale")

    def test_new_customer_created_once(self):
        body = self.order("T-200", customer={"name": "韩梅梅", "email": "hmm@example.cn"})
        status, first, _headers = self.call("/orders", body)
        self.assertEqual(status, 201, first)
        partner = self.env["res.partner"].browse(first["partner_id"])
        self.assertEqual(partner.email, "hmm@example.cn")
        status, second, _headers = self.call("/orders", dict(body, external_id="T-201"))
        self.assertEqual(second["partner_id"], partner.id, "the second order finds the customer the first made")

    def test_errors_name_lines_and_leave_nothing(self):
        partners = self.env["res.partner"].search_count([])
        status, body, _headers = self.call("/orders", self.order(
            "T-300", customer={"name": "New Co"}, lines=[{"product_code": "TEA-1", "quantity": 1},
                                                         {"product_code": "NOPE", "quantity": "x"}]))
        self.assertEqual(status, 400)
        self.assertEqual(set(body["fields"]), {"customer", "lines[1].quantity"})
        status, body, _headers = self.call("/orders", self.order(
            "T-301", customer={"name": "New Co", "email": "newco@example.cn"},
            lines=[{"product_code": "NOPE", "quantity": 1}]))
        self.assertEqual((status, set(body["fields"])), (400, {"lines[0].product_code"}))
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertFalse(self.env["sale.order"].search([("client_order_ref", "in", ("T-300", "T-301"))]))

    def test_scope(self):
        status, body, _headers = self.call("/orders", self.order("T-400"), token=self.token_b)
        self.assertEqual((status, body["error"]), (403, "forbidden"))


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestApiAccess(ApiCase):
    """A client's token acts as that client only; its integration user reads only what it created, over RPC
    with an API key, and cannot log in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client_b.scope_orders = True
        cls.product = cls.env["product.product"].create({"name": "Access tea", "default_code": "ACC-1",
                                                         "list_price": 8.0, "type": "consu"})
        cls.known = cls.env["res.partner"].create({"name": "老客户", "phone": "+86 139 0000 3333"})
        cls.lead_other = cls.env["crm.lead"].create({"name": "Someone else's lead"})

    def order(self, external_id, customer):
        return {"external_id": external_id, "shop": "jd", "customer": customer,
                "lines": [{"product_code": "ACC-1", "quantity": 1}]}

    def jsonrpc(self, service, method, *args):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1,
                   "params": {"service": service, "method": method, "args": list(args)}}
        return self.url_open("/jsonrpc", data=json.dumps(payload), headers={"Content-Type": "application/json"}).json()

    def test_orders_namespaced_per_client(self):
        status, first, _headers = self.call("/orders", self.order("O-1", {"name": "A buyer", "phone": "13900003333"}))
        self.assertEqual(status, 201, first)
        # B can neither read A's order nor replay it: the same external id is B's own, another order
        status, body, _headers = self.call("/orders/jd/O-1", token=self.token_b)
        self.assertEqual((status, body["error"]), (404, "not_found"))
        status, other, headers = self.call("/orders", self.order("O-1", {"name": "B buyer", "phone": "13900003333"}),
                                           token=self.token_b)
        self.assertEqual(status, 201, other)
        self.assertNotIn("Idempotent-Replay", headers)
        self.assertNotEqual(other["id"], first["id"])
        self.assertEqual(self.env["sale.order"].browse(other["id"]).create_uid, self.user_b, "acts as B, not A")
        self.assertEqual(self.call("/orders/jd/O-1")[1], first)
        self.assertEqual(self.call("/orders/jd/O-1", token=self.token_b)[1], other)

    def test_leads_namespaced_per_client(self):
        status, first, _headers = self.call("/leads", {"external_id": "L-1", "name": "A's form"})
        self.assertEqual(status, 201, first)
        self.assertEqual(self.call("/leads/L-1", token=self.token_b)[0], 404)
        status, other, _headers = self.call("/leads", {"external_id": "L-1", "name": "B's form"}, token=self.token_b)
        self.assertEqual(status, 201, other)
        self.assertEqual(self.env["crm.lead"].browse(other["id"]).create_uid, self.user_b)
        self.assertEqual(self.call("/leads/L-1")[1]["id"], first["id"])

    def test_rpc_reads_only_what_it_created(self):
        status, mine, _headers = self.call("/orders", self.order("O-2", {"name": "新买家", "email": "nb@example.cn"}))
        self.assertEqual(status, 201, mine)
        status, known, _headers = self.call("/orders", self.order("O-3", {"name": "x", "phone": "13900003333"}))
        self.assertEqual(known["partner_id"], self.known.id, "matched to a customer it did not create")
        status, theirs, _headers = self.call("/orders", self.order("O-4", {"name": "B's", "email": "bb@example.cn"}),
                                             token=self.token_b)
        key = self.env["res.users.apikeys"].with_user(self.user_a)._generate(
            None, "rpc", datetime.now() + timedelta(days=1))
        db = self.env.cr.dbname
        # a password never opens RPC for an integration user; the API key does
        self.assertFalse(self.jsonrpc("common", "login", db, "api_shop_a", "api_shop_a").get("result"))
        uid = self.jsonrpc("common", "login", db, "api_shop_a", key)["result"]
        self.assertEqual(uid, self.user_a.id)
        ids = [mine["partner_id"], self.known.id, theirs["partner_id"]]
        found = self.jsonrpc("object", "execute_kw", db, uid, key, "res.partner", "search_read",
                             [[("id", "in", ids)]], {"fields": ["name", "phone"]})["result"]
        self.assertEqual([row["id"] for row in found], [mine["partner_id"]])
        with mute_logger("odoo.http"):  # the refusals below are logged by Odoo as warnings
            answer = self.jsonrpc("object", "execute_kw", db, uid, key, "res.partner", "read", [[self.known.id]],
                                  {"fields": ["phone"]})
        self.assertIn("error", answer)
        self.assertNotIn("3333", json.dumps(answer))
        for model, method, args in (("crm.lead", "search_read", [[]]), ("sale.order", "search_read", [[]]),
                                    ("crm.lead", "read", [[self.lead_other.id]])):
            with mute_logger("odoo.http"):
                answer = self.jsonrpc("object", "execute_kw", db, uid, key, model, method, args, {"fields": ["name"]})
            self.assertEqual(answer.get("error", {}).get("data", {}).get("name"), "odoo.exceptions.AccessError",
                             "%s.%s" % (model, method))

    def test_no_web_client_login(self):
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "db": self.env.cr.dbname, "login": "api_shop_a", "password": "api_shop_a"}}
        with mute_logger("odoo.http"):
            answer = self.url_open("/web/session/authenticate", data=json.dumps(payload), timeout=60,
                                   headers={"Content-Type": "application/json"}).json()
        self.assertIn("error", answer)
        self.assertFalse(answer.get("result"))
        # the same password of an ordinary employee logs in: the refusal is the role's
        employee = new_test_user(self.env, login="api_plain_employee", groups="base.group_user")
        payload["params"].update(login="api_plain_employee", password="api_plain_employee")
        answer = self.url_open("/web/session/authenticate", data=json.dumps(payload), timeout=60,
                               headers={"Content-Type": "application/json"}).json()
        self.assertEqual(answer["result"]["uid"], employee.id)

    def test_client_user_must_be_an_integration_user(self):
        seller = new_test_user(self.env, login="api_seller_user",
                               groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_integration")
        admin = new_test_user(self.env, login="api_admin_user", groups="base.group_system")
        employee = new_test_user(self.env, login="api_employee_user", groups="base.group_user")
        for user in (seller, admin, employee):
            with self.assertRaises(ValidationError, msg=user.login):
                self.env["crm_plus.api.client"].create({"name": "Bad %s" % user.login, "user_id": user.id})
        self.assertEqual(self.user_a._crm_plus_scope().kind, "created")


@tagged("post_install", "-at_install", "crm_plus_integration")
class TestApiDescription(HttpCase):
    def test_openapi_matches_routes(self):
        spec = json.loads(OPENAPI.read_text(encoding="utf-8"))
        self.assertTrue(spec["openapi"].startswith("3."))
        documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
        routed = set()
        for rule in self.env["ir.http"].routing_map().iter_rules():
            if rule.rule.startswith(PREFIX):
                path = rule.rule[len("/api/crm_plus/v1"):]
                for part in rule.arguments:
                    path = path.replace("<string:%s>" % part, "{%s}" % part)
                routed |= {(path, method) for method in rule.methods if method not in ("HEAD", "OPTIONS")}
        self.assertTrue(routed)
        self.assertEqual(documented, routed)
