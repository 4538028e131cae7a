from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .test_contract import ContractCase


@tagged("post_install", "-at_install")
class TestContractAnalysis(ContractCase):
    """Renewal rate where managers look (team, analysis views) and the title card on the invoice PDF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_west = cls.env["crm.team"].create({"name": "CP Analysis West"})
        rows = [
            (cls.team, date(2043, 2, 28), "renewed"), (cls.team, date(2043, 5, 31), "renewed"),
            (cls.team, date(2043, 6, 30), "expired"), (cls.team, date(2043, 4, 30), "terminated"),
            (cls.team, date(2041, 1, 31), "expired"),  # ended more than 12 months ago
            (cls.team_west, date(2043, 3, 31), "expired"),
            (cls.team, date(2043, 10, 31), "running"),
        ]
        cls.contracts = cls.Contract.sudo().create([{
            "partner_id": cls.customer.id, "user_id": cls.user_sales.id, "team_id": team.id,
            "date_start": date(2040, 1, 1), "date_end": end, "state": state,
        } for team, end, state in rows])

    def test_renewal_outcome_is_stored_and_countable(self):
        self.assertEqual(self.contracts.mapped("renewal_outcome"),
                         ["renewed", "renewed", "not_renewed", False, "not_renewed", "not_renewed", False])
        groups = dict(self.Contract._read_group([("id", "in", self.contracts.ids)], ["renewal_outcome"], ["__count"]))
        self.assertEqual(groups, {"renewed": 2, "not_renewed": 3, False: 2})
        # the outcome follows the state
        running = self.contracts[-1].sudo()
        running.action_mark_renewed()
        self.assertEqual(running.renewal_outcome, "renewed")

    def test_renewal_counts_by_team_grouped(self):
        Contract = self.Contract.with_user(self.user_manager)
        args = ("team_id", date(2042, 7, 1), date(2043, 6, 30))
        Contract._renewal_counts_by(*args)  # warm the record rule caches
        before = self.env.cr.sql_log_count
        counts = Contract._renewal_counts_by(*args, domain=[("id", "in", self.contracts.ids)])
        # the grouped query (and at most one for the record rules' scope), whatever the number of teams
        self.assertLessEqual(self.env.cr.sql_log_count - before, 2)
        self.assertEqual({team.id: value for team, value in counts.items()},
                         {self.team.id: (2, 3), self.team_west.id: (0, 1)})

    @freeze_time("2043-07-01")
    def test_team_renewal_rate(self):
        teams = (self.team | self.team_west).with_user(self.user_manager)
        self.assertAlmostEqual(teams[0].crm_plus_renewal_rate, 2 / 3)
        self.assertEqual((teams[0].crm_plus_renewed_count, teams[0].crm_plus_closed_count), (2, 3))
        self.assertEqual(teams[1].crm_plus_renewal_rate, 0.0)
        self.assertEqual(teams[1].crm_plus_closed_count, 1)
        # a team without closed contracts
        empty = self.env["crm.team"].create({"name": "CP Analysis Empty"}).with_user(self.user_manager)
        self.assertEqual((empty.crm_plus_renewal_rate, empty.crm_plus_closed_count), (0.0, 0))
        # the team form and list show it to sales managers
        views = [(False, "form"), (False, "list"), (False, "kanban"),  # the kanban of the Sales > Teams dashboard
                 (self.env.ref("sales_team.crm_team_view_kanban").id, "kanban")]
        for view_id, view_type in views:
            arch = teams.get_views([(view_id, view_type)])["views"][view_type]["arch"]
            self.assertIn('name="crm_plus_renewal_rate"', arch, view_type)

    def test_analysis_views(self):
        Contract = self.Contract.with_user(self.user_leader)
        views = Contract.get_views([(False, "pivot"), (False, "graph")])["views"]
        self.assertIn('name="renewal_outcome"', views["pivot"]["arch"])
        self.assertIn('name="renewal_outcome"', views["graph"]["arch"])
        action = self.env.ref("crm_plus.action_crm_plus_contract_analysis")
        self.assertTrue(action.view_mode.startswith("pivot,graph"))
        self.assertIn("crm_plus.menu_crm_plus_contract_analysis", self.visible_menu_xmlids(self.user_leader))
        self.assertNotIn("crm_plus.menu_crm_plus_contract_analysis", self.visible_menu_xmlids(self.user_sales))

    # --- the buyer's invoice title card on the invoice PDF -------------------------------------------
    def _render_invoice(self, move):
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html("account.account_invoices", move.ids)
        return html.decode()

    def test_invoice_pdf_title_card(self):
        buyer = self.env["res.partner"].create({
            "name": "CP Title Card Buyer Co.", "is_company": True,
            "invoice_title": "北京标题卡测试有限公司",
            "vat": "91110108MA01TEST9X",
            "invoice_address_phone": "北京市海淀区中关村大街 1 号 010-5550 7788",
            "invoice_bank_name": "中国银行北京中关村支行",
            "invoice_bank_account": "3344 5566 7788 0099",
        })
        contact = self.env["res.partner"].create({"name": "CP Title Contact", "parent_id": buyer.id})
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": contact.id,
            "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 100.0})],
        })
        html = self._render_invoice(move)
        self.assertIn('id="crm_plus_invoice_title"', html)
        for text in ("北京标题卡测试有限公司", "91110108MA01TEST9X", "北京市海淀区中关村大街 1 号 010-5550 7788",
                     "中国银行北京中关村支行", "3344 5566 7788 0099"):
            self.assertIn(text, html)

    def test_invoice_pdf_without_title_card(self):
        buyer = self.env["res.partner"].create({"name": "CP No Card Buyer Co.", "is_company": True})
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": buyer.id,
            "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 100.0})],
        })
        html = self._render_invoice(move)
        self.assertIn("CP No Card Buyer Co.", html)
        self.assertNotIn('id="crm_plus_invoice_title"', html)
