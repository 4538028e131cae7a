"""The customer timeline: order, kinds, keyset paging, scopes and masking per role, query count of a page."""

from datetime import date, datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CrmPlusCase

BASE = datetime(2025, 3, 1, 9, 0, 0)


@tagged("post_install", "-at_install", "crm_plus_timeline")
class TestTimeline(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.outsider = new_test_user(env, login="cp_tl_outsider", name="Timeline Outsider",
                                     groups="crm_plus.group_crm_plus_user", lang="en_US")
        cls.team_a = env["crm.team"].create({"name": "Timeline Team A", "user_id": cls.user_leader.id,
                                             "member_ids": [Command.link(cls.user_sales.id)]})
        cls.team_b = env["crm.team"].create({"name": "Timeline Team B", "member_ids": [Command.link(cls.outsider.id)]})
        cls.customer.write({"team_id": cls.team_a.id, "phone": "139 7200 0001"})
        cls.contact = env["res.partner"].create({"name": "时间线联系人 李四", "parent_id": cls.customer.id,
                                                 "phone": "139 7200 0002"})
        Message = env["mail.message"].sudo()
        cls.messages = Message.create([{
            "model": "res.partner", "res_id": partner.id, "body": "<p>Call %s</p>" % i, "message_type": "comment",
            "date": BASE + timedelta(days=i), "author_id": env.user.partner_id.id,
        } for i, partner in enumerate([cls.customer, cls.contact, cls.customer])])
        cls.orders = env["sale.order"].create([{
            "partner_id": partner.id, "user_id": cls.user_sales.id, "team_id": cls.team_a.id,
            "date_order": BASE + timedelta(days=i, hours=1),
        } for i, partner in enumerate([cls.customer, cls.contact])])
        cls.visit = env["crm_plus.return.visit"].create({
            "partner_id": cls.customer.id, "user_id": cls.user_sales.id, "date_planned": date(2025, 3, 10)})
        Lead = env["crm.lead"].with_context(crm_plus_no_routing=True)
        cls.lead_own = Lead.create({"name": "Timeline lead own", "partner_id": cls.customer.id,
                                    "user_id": cls.user_sales.id, "team_id": cls.team_a.id})
        cls.lead_out = Lead.create({"name": "Timeline lead other team", "partner_id": cls.contact.id,
                                    "user_id": cls.outsider.id, "team_id": cls.team_b.id})
        Contract = env["crm_plus.contract"]
        cls.contract_own = Contract.create({"partner_id": cls.customer.id, "user_id": cls.user_sales.id,
                                            "team_id": cls.team_a.id, "date_start": date(2025, 2, 1)})
        cls.contract_out = Contract.create({"partner_id": cls.customer.id, "user_id": cls.outsider.id,
                                            "team_id": cls.team_b.id, "date_start": date(2025, 2, 2)})
        cls.other = env["res.partner"].create({"name": "别家客户", "is_company": True, "user_id": cls.outsider.id})
        Message.create({"model": "res.partner", "res_id": cls.other.id, "body": "<p>Not ours</p>",
                        "message_type": "comment", "date": BASE})

    def _page(self, user=None, partner=None, **kwargs):
        partner = (partner or self.customer).with_user(user or self.user_manager)
        return partner.crm_plus_timeline_page(**kwargs)

    def _keys(self, items):
        return [(item["kind"], item["id"]) for item in items]

    def test_order_newest_first(self):
        items = self._page()["items"]
        dates = [item["date"] for item in items]
        self.assertEqual(dates, sorted(dates, reverse=True))
        keys = self._keys(items)
        self.assertIn(("return_visit", self.visit.id), keys)
        self.assertLess(keys.index(("return_visit", self.visit.id)), keys.index(("order", self.orders[1].id)))
        self.assertLess(keys.index(("order", self.orders[1].id)), keys.index(("message", self.messages[1].id)))
        self.assertLess(keys.index(("message", self.messages[1].id)), keys.index(("order", self.orders[0].id)))
        # the contact's message and order belong to the customer's timeline, another customer's do not
        self.assertEqual({i for k, i in keys if k == "message"}, set(self.messages.ids))
        # every item links to a record: a message to its document
        message = next(item for item in items if item["kind"] == "message")
        self.assertEqual(message["model"], "res.partner")
        self.assertIn(message["res_id"], (self.customer | self.contact).ids)

    def test_contact_shows_its_company_timeline(self):
        self.assertEqual(self._keys(self._page(partner=self.contact)["items"]), self._keys(self._page()["items"]))

    def test_kinds_filter(self):
        items = self._page(kinds=["order", "return_visit"])["items"]
        self.assertEqual({item["kind"] for item in items}, {"order", "return_visit"})
        self.assertEqual(len(items), 3)
        # one kind only: the page still knows older items exist
        page = self._page(kinds=["order"], limit=1)
        self.assertEqual(self._keys(page["items"]), [("order", self.orders[1].id)])
        self.assertTrue(page["next"])
        page = self._page(kinds=["order"], limit=1, before=page["next"])
        self.assertEqual(self._keys(page["items"]), [("order", self.orders[0].id)])
        self.assertFalse(page["next"])

    def test_paging(self):
        everything = self._keys(self._page(limit=200)["items"])
        self.assertGreater(len(everything), 6)
        seen, before = [], False
        while True:
            page = self._page(limit=3, before=before)
            self.assertLessEqual(len(page["items"]), 3)
            seen += self._keys(page["items"])
            before = page["next"]
            if not before:
                break
        self.assertEqual(seen, everything)

    def test_scope_sales_user(self):
        """A salesperson sees the customer's own-team lead and contract, not another team's; no payments."""
        keys = self._keys(self._page(user=self.user_sales)["items"])
        self.assertIn(("lead", self.lead_own.id), keys)
        self.assertNotIn(("lead", self.lead_out.id), keys)
        self.assertIn(("contract", self.contract_own.id), keys)
        self.assertNotIn(("contract", self.contract_out.id), keys)
        kinds = {k["kind"] for k in self.customer.with_user(self.user_sales).crm_plus_timeline_kinds()}
        self.assertNotIn("payment", kinds)
        self.assertIn("order", kinds)

    def test_scope_manager_sees_all(self):
        keys = self._keys(self._page(user=self.user_manager)["items"])
        for key in [("lead", self.lead_out.id), ("contract", self.contract_out.id), ("lead", self.lead_own.id)]:
            self.assertIn(key, keys)

    def test_scope_other_salesperson_cannot_open(self):
        with self.assertRaises(AccessError):
            self._page(user=self.outsider)

    def test_finance_sees_invoices_and_payments(self):
        product = self._setup_invoicing("Timeline service")
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_date": date(2025, 3, 20),
            "invoice_line_ids": [Command.create({"product_id": product.id, "quantity": 1, "price_unit": 100})],
        })
        invoice.action_post()
        payment = self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer", "partner_id": self.customer.id,
            "amount": 100.0, "date": date(2025, 3, 21),
        })
        payment.action_post()
        kinds = {k["kind"] for k in self.customer.with_user(self.user_finance).crm_plus_timeline_kinds()}
        self.assertTrue({"invoice", "payment"} <= kinds)
        keys = self._keys(self._page(user=self.user_finance)["items"])
        self.assertEqual(keys[:2], [("payment", payment.id), ("invoice", invoice.id)])
        item = self._page(user=self.user_finance, kinds=["invoice"])["items"][0]
        self.assertTrue(item["all_day"])
        self.assertEqual(item["date"][:10], "2025-03-20")

    def test_masked_contact_stays_masked(self):
        """A pool customer (公海) is read by every salesperson with its contact details masked: its timeline
        is read as the user, so the e-mail of its contact (the author of a message) stays masked."""
        self.env["ir.config_parameter"].sudo().set_param("crm_plus.mask_sales_user", "True")
        pool = self.env["crm_plus.pool"].create({"name": "Timeline Pool"})
        customer = self.env["res.partner"].create({
            "name": "时间线公海客户", "is_company": True, "pool_id": pool.id, "phone": "139 7200 0003",
            "email": "pool.customer@timeline-test.example"})
        self.env["mail.message"].sudo().create({
            "model": "res.partner", "res_id": customer.id, "body": "<p>Hello</p>", "message_type": "email",
            "date": BASE, "author_id": customer.id})
        partner = customer.with_user(self.user_sales).with_context(show_email=True)
        self.assertTrue(partner._crm_plus_masked_ids())
        page = partner.crm_plus_timeline_page()
        self.assertEqual([item["kind"] for item in page["items"]], ["message"])
        self.assertNotIn("pool.customer@", str(page))
        self.assertNotIn("7200 0003", str(page))

    def test_query_count_independent_of_history(self):
        """The first page costs the same queries on a customer with 3 orders as with 60."""
        small = self.env["res.partner"].create({"name": "小客户", "is_company": True})
        large = self.env["res.partner"].create({"name": "大客户", "is_company": True})
        for partner, count in ((small, 3), (large, 60)):
            self.env["sale.order"].create([{
                "partner_id": partner.id, "date_order": BASE + timedelta(hours=i)} for i in range(count)])
        self.env.flush_all()
        counts = []
        for customer in (small, large):
            partner = customer.with_user(self.user_manager)
            partner.crm_plus_timeline_page(limit=2)  # warm the caches of the rules
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            page = partner.crm_plus_timeline_page(limit=2)
            counts.append(self.cr.sql_log_count - start)
            self.assertEqual(len(page["items"]), 2)
        self.assertEqual(counts[0], counts[1])
        self.env.invalidate_all()
        with self.assertQueryCount(counts[0]):
            large.with_user(self.user_manager).crm_plus_timeline_page(limit=2)

    def test_bad_cursor(self):
        with self.assertRaises(UserError):
            self._page(before=["not a date", "order"])
