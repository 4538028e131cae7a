"""The customer portal over real HTTP: every route of the portal controller × every kind of visitor × own id,
another's id, forged and valid token → the expected answer. The routes are read from the controller class,
so a route added later without its cases fails ``test_every_route_has_cases``."""

import inspect

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from ..controllers.portal import CrmPlusServicePortal

# visitors: None is the public (anonymous) visitor
VISITORS = ("public", "portal_a", "portal_b", "portal_a2", "internal")
# which ticket each visitor calls "own" and "another's" (public and internal own none: they try A's)
OWN = {"public": "a", "portal_a": "a", "portal_b": "b", "portal_a2": "a2", "internal": "a"}
OTHER = {"public": "b", "portal_a": "b", "portal_b": "a", "portal_a2": "a", "internal": "b"}
ID_KINDS = ("own", "other", "other_forged_token", "other_no_token_param", "other_valid_token")

OK, REDIRECT, DENIED, BAD = 200, 303, 404, 400


def _ticket_route_expectation(visitor, kind, success):
    """What a route on one ticket answers: ``success`` when the visitor may act, 404 otherwise."""
    if kind == "own":
        return success if visitor.startswith("portal") else DENIED
    if kind == "other_valid_token":
        return success
    return DENIED


# route -> (method, {(visitor, id kind or None): expected status}); None id kind: a route without id
def _matrix():
    matrix = {}
    for route, method, success in (("/my/tickets/<int:ticket_id>", "GET", OK),
                                   ("/my/tickets/<int:ticket_id>/reply", "POST", REDIRECT)):
        matrix[route] = (method, {(v, k): _ticket_route_expectation(v, k, success) for v in VISITORS for k in ID_KINDS})
    # closing: only one's own ticket; a valid token acts as the ticket's contact only for an anonymous visitor
    close = {(v, k): DENIED for v in VISITORS for k in ID_KINDS}
    close.update({("portal_a", "own"): REDIRECT, ("portal_b", "own"): REDIRECT, ("portal_a2", "own"): REDIRECT,
                  ("public", "other_valid_token"): REDIRECT})
    matrix["/my/tickets/<int:ticket_id>/close"] = ("POST", close)
    user_pages = {("public", None): REDIRECT, ("portal_a", None): OK, ("portal_b", None): OK,
                  ("portal_a2", None): OK, ("internal", None): DENIED}
    matrix["/my/tickets"] = ("GET", user_pages)
    matrix["/my/tickets/page/<int:page>"] = ("GET", user_pages)
    matrix["/my/tickets/new"] = ("GET", user_pages)
    matrix["/my/tickets/new POST"] = ("POST", {**user_pages, ("portal_a", None): REDIRECT,
                                               ("portal_b", None): REDIRECT, ("portal_a2", None): REDIRECT})
    # no visitor here is a service admin contact (see test_admin_contact_sets_colleagues)
    matrix["/my/tickets/colleagues"] = ("GET", {**dict.fromkeys(user_pages, DENIED), ("public", None): REDIRECT})
    matrix["/my/tickets/colleagues POST"] = ("POST", {**dict.fromkeys(user_pages, DENIED), ("public", None): REDIRECT})
    # read-only suggestions of published articles: anyone, internal articles never
    matrix["/my/tickets/suggest"] = ("JSON", dict.fromkeys(user_pages, OK))
    return matrix


class PortalCaseMixin:
    @classmethod
    def _setup_portal(cls):
        env = cls.env
        # the tests start from an empty knowledge base: the demo's published articles would join the suggestions
        env["crm_plus.kb.article"].with_context(active_test=False).search([]).unlink()
        Partner = env["res.partner"]
        cls.company_a = Partner.create({"name": "甲公司 Alpha", "is_company": True})
        cls.company_b = Partner.create({"name": "乙公司 Beta", "is_company": True})
        cls.users = {
            "portal_a": new_test_user(env, login="portal_a", groups="base.group_portal", lang="en_US",
                                      name="Portal A", email="a@alpha.example"),
            "portal_a2": new_test_user(env, login="portal_a2", groups="base.group_portal", lang="en_US",
                                       name="Portal A2", email="a2@alpha.example"),
            "portal_b": new_test_user(env, login="portal_b", groups="base.group_portal", lang="en_US",
                                      name="Portal B", email="b@beta.example"),
            "internal": new_test_user(env, login="plain_internal", groups="base.group_user", lang="en_US",
                                      name="Plain Internal"),
        }
        cls.users["portal_a"].partner_id.parent_id = cls.company_a
        cls.users["portal_a2"].partner_id.parent_id = cls.company_a
        cls.users["portal_b"].partner_id.parent_id = cls.company_b
        # messages are asserted in English (a contact set under a company takes the company's language)
        for user in cls.users.values():
            user.lang = "en_US"
        cls.stage_new = env["crm_plus.ticket.stage"].search(
            [("is_closed", "=", False), ("is_solved", "=", False), ("is_waiting", "=", False)], limit=1)
        Ticket = env["crm_plus.ticket"]
        cls.tickets = {
            "a": Ticket.create({"name": "A printer 打印机", "partner_id": cls.users["portal_a"].partner_id.id}),
            "a2": Ticket.create({"name": "A2 scanner 扫描仪", "partner_id": cls.users["portal_a2"].partner_id.id}),
            "b": Ticket.create({"name": "B invoice 发票", "partner_id": cls.users["portal_b"].partner_id.id}),
        }
        for ticket in cls.tickets.values():
            ticket._portal_ensure_token()
        Article = env["crm_plus.kb.article"]
        Article.create({"name": "打印机卡纸的处理", "body": "<p>打开后盖，取出卡纸。</p>", "is_published": True})
        Article.create({"name": "打印机卡纸（内部）", "body": "<p>内部：更换搓纸轮。</p>", "is_published": False})
        # followers never widen visibility: A follows B's and A2's tickets
        cls.tickets["b"].message_subscribe(cls.users["portal_a"].partner_id.ids)
        cls.tickets["a2"].message_subscribe(cls.users["portal_a"].partner_id.ids)

    def _login(self, visitor):
        if visitor == "public":
            self.authenticate(None, None)
        else:
            login = self.users[visitor].login
            self.authenticate(login, login)

    def _post(self, url, data=None, files=None):
        return self.url_open(url, data={"csrf_token": http.Request.csrf_token(self), **(data or {})}, files=files,
                             allow_redirects=False)

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)


@tagged("post_install", "-at_install", "crm_plus_portal")
class TestPortalMatrix(PortalCaseMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_portal()

    def _routes(self):
        """{path: (methods, type)} of the routes the portal controller declares itself."""
        routes = {}
        for name, member in inspect.getmembers(CrmPlusServicePortal):
            routing = getattr(member, "original_routing", None)
            if routing and name in vars(CrmPlusServicePortal):
                for path in routing["routes"]:
                    routes[path] = (routing.get("methods") or ["GET", "POST"], routing.get("type", "http"))
        return routes

    def test_every_route_has_cases(self):
        matrix = _matrix()
        routes = self._routes()
        self.assertGreaterEqual(len(routes), 7)
        kinds = {path: kind for path, (_methods, kind) in routes.items()}
        for path, (methods, _kind) in routes.items():
            for method in methods:
                key = path if method == "GET" or len(methods) == 1 else "%s POST" % path
                with self.subTest(route=path, method=method):
                    self.assertIn(key, matrix, "route %s %s has no cases in the portal test matrix" % (method, path))
                    self.assertEqual(matrix[key][0], "JSON" if kinds[path] == "json" else method)

    def _reset(self):
        for ticket in self.tickets.values():
            ticket.write({"stage_id": self.stage_new.id})

    def _ticket_url(self, route, visitor, kind):
        ticket = self.tickets[OWN[visitor] if kind == "own" else OTHER[visitor]]
        url = route.replace("<int:ticket_id>", str(ticket.id))
        token = {"other_forged_token": "forged" + ticket.access_token[6:], "other_valid_token": ticket.access_token,
                 "other_no_token_param": ""}.get(kind)
        return ticket, url, token

    def test_ticket_routes(self):
        for route, (method, cases) in _matrix().items():
            if "<int:ticket_id>" not in route:
                continue
            for (visitor, kind), expected in cases.items():
                with self.subTest(route=route, visitor=visitor, kind=kind):
                    self._reset()
                    self._login(visitor)
                    ticket, url, token = self._ticket_url(route, visitor, kind)
                    before = len(ticket.message_ids)
                    if method == "GET":
                        response = self._get(url + ("?access_token=%s" % token if token is not None else ""))
                    else:
                        data = {"body": "你好，还是坏的 still broken"}
                        if token is not None:
                            data["access_token"] = token
                        response = self._post(url, data)
                    self.assertEqual(response.status_code, expected, "%s %s as %s (%s)" % (method, url, visitor, kind))
                    ticket.invalidate_recordset()
                    if route.endswith("/reply"):
                        self.assertEqual(len(ticket.message_ids) > before, expected == REDIRECT)
                    if route.endswith("/close"):
                        self.assertEqual(ticket.is_closed, expected == REDIRECT)
                    if method == "GET" and expected == OK:
                        self.assertIn(ticket.name, response.text)
                    if expected == DENIED:
                        self.assertNotIn(ticket.name, response.text)

    def test_routes_without_id(self):
        for route, (method, cases) in _matrix().items():
            if "<int:ticket_id>" in route:
                continue
            path = route.split(" ")[0].replace("<int:page>", "1")
            for (visitor, _kind), expected in cases.items():
                with self.subTest(route=route, visitor=visitor):
                    self._login(visitor)
                    if method == "JSON":
                        found = self.make_jsonrpc_request(path, {"text": "打印机 卡纸"})
                        self.assertEqual([a["name"] for a in found], ["打印机卡纸的处理"], visitor)
                        continue
                    if method == "GET":
                        response = self._get(path)
                    else:
                        response = self._post(path, {"name": "新工单 from %s" % visitor, "description": "x"})
                    self.assertEqual(response.status_code, expected, "%s %s as %s" % (method, path, visitor))
                    if expected == REDIRECT and visitor == "public":
                        self.assertIn("/web/login", response.headers["Location"])

    def test_list_shows_own_tickets_only(self):
        self._login("portal_a")
        page = self._get("/my/tickets").text
        self.assertIn("A printer 打印机", page)
        self.assertNotIn("B invoice 发票", page, "following a ticket does not show it")
        self.assertNotIn("A2 scanner 扫描仪", page, "a colleague's ticket needs the company flag")
        self.assertEqual(self.env["crm_plus.ticket"].with_user(self.users["portal_a"]).search([]), self.tickets["a"])

    def test_company_flag_opens_company_tickets(self):
        partner = self.users["portal_a"].partner_id
        partner.crm_plus_service_company_tickets = True
        Ticket = self.env["crm_plus.ticket"].with_user(self.users["portal_a"])
        self.assertEqual(Ticket.search([]), self.tickets["a"] | self.tickets["a2"])
        self._login("portal_a")
        self.assertEqual(self._get("/my/tickets/%s" % self.tickets["a2"].id).status_code, OK)
        self.assertEqual(self._get("/my/tickets/%s" % self.tickets["b"].id).status_code, DENIED)
        # A's flag does not open the company's tickets to A2
        self.assertEqual(Ticket.with_user(self.users["portal_a2"]).search([]), self.tickets["a2"])
        partner.crm_plus_service_company_tickets = False
        self.assertEqual(Ticket.search([]), self.tickets["a"])

    def test_admin_contact_sets_colleagues(self):
        admin = self.users["portal_a"].partner_id
        admin.crm_plus_service_portal_admin = True
        self._login("portal_a")
        page = self._get("/my/tickets/colleagues")
        self.assertEqual(page.status_code, OK)
        self.assertIn("Portal A2", page.text)
        self.assertNotIn("Portal B", page.text, "only colleagues of the admin's own company")
        colleague = self.users["portal_a2"].partner_id
        # a forged id of another company's contact is ignored
        response = self._post("/my/tickets/colleagues", {"colleague_ids": [str(colleague.id),
                                                                           str(self.users["portal_b"].partner_id.id)]})
        self.assertEqual(response.status_code, REDIRECT)
        self.assertTrue(colleague.crm_plus_service_company_tickets)
        self.assertFalse(self.users["portal_b"].partner_id.crm_plus_service_company_tickets)
        self.assertEqual(self.env["crm_plus.ticket"].with_user(self.users["portal_a2"]).search([]),
                         self.tickets["a"] | self.tickets["a2"])
        self._post("/my/tickets/colleagues", {})
        self.assertFalse(colleague.crm_plus_service_company_tickets)

    def test_post_without_csrf_is_refused(self):
        self._login("portal_a")
        ticket = self.tickets["a"]
        for suffix in ("close", "reply"):
            with self.assertLogs("odoo.http", "WARNING"):
                response = self.url_open("/my/tickets/%s/%s" % (ticket.id, suffix), data={"body": "x"},
                                         allow_redirects=False)
            self.assertEqual(response.status_code, BAD)
        self.assertFalse(ticket.is_closed)

    def test_get_never_changes_state(self):
        self._login("portal_a")
        ticket = self.tickets["a"]
        for suffix in ("close", "reply"):
            response = self._get("/my/tickets/%s/%s" % (ticket.id, suffix))
            self.assertIn(response.status_code, (404, 405))
        self.assertFalse(ticket.is_closed)

    def test_rpc_as_portal_user_respects_rules(self):
        """The same rules hold outside the portal pages: the JSON-RPC of a portal login."""
        self._login("portal_a")
        result = self.make_jsonrpc_request("/web/dataset/call_kw/crm_plus.ticket/search_read", {
            "model": "crm_plus.ticket", "method": "search_read", "args": [[], ["name"]], "kwargs": {}})
        self.assertEqual([r["name"] for r in result], ["A printer 打印机"])
