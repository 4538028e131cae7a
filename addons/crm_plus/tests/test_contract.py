from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from ..models.crm_plus_contract_instalment import distribute_payments
from ..tools.schedule import parse_schedule
from .common import CrmPlusCase


class ContractCase(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._setup_invoicing("CRM Plus Licence", invoice_policy="order")
        cls.team = cls.env["crm.team"].create({
            "name": "East", "user_id": cls.user_leader.id,
            "member_ids": [Command.link(cls.user_sales.id)],
        })
        cls.Contract = cls.env["crm_plus.contract"]

    @classmethod
    def _contract(cls, qty=1.0, price=1000.0, discount=0.0, **vals):
        return cls.Contract.create({
            "partner_id": cls.customer.id,
            "user_id": cls.user_sales.id,
            "team_id": cls.team.id,
            "date_start": date(2026, 1, 1),
            "date_end": date(2026, 12, 31),
            "line_ids": [Command.create({"product_id": cls.product.id, "quantity": qty, "price_unit": price,
                                         "discount": discount})],
            **vals,
        })

    def _invoice(self, partner, amount, contract=None, due=None, paid=0.0):
        """A posted customer invoice of ``amount``, paid ``paid`` through a reconciled journal entry."""
        move = self.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": fields.Date.today(),
            "invoice_date_due": due or fields.Date.today(),
            "contract_id": contract.id if contract else False,
            "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})],
        })
        move.invoice_date_due = due or fields.Date.today()
        move.action_post()
        if paid:
            receivable = move.line_ids.filtered(lambda ml: ml.account_id.account_type == "asset_receivable")
            journal = self.env["account.journal"].search(
                [("type", "=", "bank"), ("company_id", "=", self.env.company.id)], limit=1)
            payment = self.env["account.move"].create({
                "move_type": "entry",
                "journal_id": journal.id,
                "date": fields.Date.today(),
                "line_ids": [
                    Command.create({"account_id": receivable.account_id.id, "partner_id": partner.id,
                                    "credit": paid}),
                    Command.create({"account_id": journal.default_account_id.id, "debit": paid}),
                ],
            })
            payment.action_post()
            (receivable + payment.line_ids.filtered(lambda ml: ml.account_id == receivable.account_id)).reconcile()
        return move


@tagged("post_install", "-at_install")
class TestContract(ContractCase):

    # --- pure functions ------------------------------------------------------------------------------
    def test_parse_schedule(self):
        self.assertEqual(parse_schedule("30/40/30"), [30.0, 40.0, 30.0])
        self.assertEqual(parse_schedule("50%, 50%"), [50.0, 50.0])
        self.assertEqual(parse_schedule("3"), [33.33, 33.33, 33.34])
        self.assertEqual(parse_schedule(""), [])
        with self.assertRaises(ValueError):
            parse_schedule("30/30")
        with self.assertRaises(ValueError):
            parse_schedule("abc")

    def test_distribute_payments(self):
        plan = [(1, 300.0), (2, 400.0), (3, 300.0)]
        self.assertEqual(distribute_payments(plan, {}, 500.0), {1: 300.0, 2: 200.0, 3: 0.0})
        # the invoice linked to the third instalment pays it first; the rest goes in due-date order
        self.assertEqual(distribute_payments(plan, {3: 350.0}, 100.0), {1: 150.0, 2: 0.0, 3: 300.0})

    # --- model ----------------------------------------------------------------------------------------
    def test_name_amount_and_constraints(self):
        contract = self._contract(qty=2.0, discount=10.0)
        self.assertTrue(contract.name.startswith("CT/%s/" % date.today().year), contract.name)
        self.assertEqual(contract.amount, 1800.0)
        self.assertEqual(contract.state, "draft")
        # a failed write leaves its value in the cache: each check on a fresh contract
        with self.assertRaisesRegex(ValidationError, "end date"):
            self._contract().date_end = date(2025, 1, 1)
        with self.assertRaisesRegex(ValidationError, "negative"):
            self._contract().line_ids.quantity = -1
        with self.assertRaisesRegex(ValidationError, "negative"):
            self._contract().line_ids.price_unit = -5
        with self.assertRaisesRegex(ValidationError, "between 0 and 100%"):
            self._contract().line_ids.discount = 120

    def test_transitions_enforced(self):
        contract = self._contract()
        with self.assertRaisesRegex(UserError, "cannot move from Draft to Expired"):
            contract.state = "expired"
        contract.action_confirm()
        self.assertEqual(contract.state, "running")
        contract.action_terminate()
        with self.assertRaisesRegex(UserError, "cannot move from Terminated to Running"):
            contract.state = "running"
        with self.assertRaisesRegex(UserError, "start as a draft"):
            self.Contract.with_user(self.user_sales).create({
                "partner_id": self.customer.id, "user_id": self.user_sales.id, "state": "running"})

    def test_approval_by_discount(self):
        contract = self._contract(discount=25.0).with_user(self.user_sales)
        contract.action_confirm()
        self.assertEqual(contract.state, "pending")
        # nothing moves a pending contract to running but an approver, whatever the path
        with self.assertRaisesRegex(UserError, "waiting for approval"):
            contract.write({"state": "running"})
        with self.assertRaises(AccessError):
            contract.action_approve()
        with self.assertRaisesRegex(UserError, "reason"):
            contract.with_user(self.user_leader).action_reject()
        contract.with_user(self.user_leader).action_reject(reason="Discount too high")
        self.assertEqual(contract.state, "draft")
        self.assertEqual(contract.rejection_reason, "Discount too high")
        contract.action_confirm()
        contract.with_user(self.user_leader).action_approve()
        self.assertEqual(contract.state, "running")

    def test_approval_by_amount_levels(self):
        self.env["ir.config_parameter"].set_param("crm_plus.contract_amount_limit", "5000")
        self.env["ir.config_parameter"].set_param("crm_plus.contract_leader_limit", "8000")
        small = self._contract(qty=6.0)  # 6000: needs approval, a team leader may approve
        big = self._contract(qty=9.0)  # 9000: only a sales manager
        (small | big).action_confirm()
        self.assertEqual((small | big).mapped("state"), ["pending", "pending"])
        small.with_user(self.user_leader).action_approve()
        self.assertEqual(small.state, "running")
        with self.assertRaises(AccessError):
            big.with_user(self.user_leader).action_approve()
        big.with_user(self.user_manager).action_approve()
        self.assertEqual(big.state, "running")

    def test_from_sale_order_and_invoice(self):
        order = self.env["sale.order"].create({
            "partner_id": self.customer.id, "user_id": self.user_sales.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 3,
                                           "price_unit": 500.0, "tax_id": [Command.clear()]})],
        })
        with self.assertRaisesRegex(UserError, "Confirm the order"):
            order.action_create_contract()
        order.action_confirm()
        action = order.action_create_contract()
        contract = self.Contract.browse(action["res_id"])
        self.assertEqual(order.contract_id, contract)
        self.assertEqual(contract.amount, 1500.0)
        self.assertEqual(contract.sale_order_count, 1)
        with self.assertRaisesRegex(UserError, "already belongs"):
            order.action_create_contract()
        invoice = order._create_invoices()
        self.assertEqual(invoice.contract_id, contract)
        self.assertEqual(contract.invoice_ids, invoice)
        self.assertEqual(contract.invoice_count, 1)
        self.assertEqual(invoice.action_view_contract()["res_id"], contract.id)

    def test_from_won_lead(self):
        lead = self.env["crm.lead"].create({
            "name": "Big deal", "type": "opportunity", "partner_id": self.customer.id,
            "user_id": self.user_sales.id})
        with self.assertRaisesRegex(UserError, "won opportunity"):
            lead.action_create_contract()
        lead.action_set_won()
        contract = self.Contract.browse(lead.action_create_contract()["res_id"])
        self.assertEqual(contract.opportunity_id, lead)
        self.assertEqual(contract.partner_id, self.customer)
        self.assertEqual(lead.contract_count, 1)

    def test_cron_expiring_and_expired(self):
        contract = self._contract()
        contract.action_confirm()
        other = self._contract(date_end=date(2027, 6, 30))
        other.action_confirm()
        Lead = self.env["crm.lead"].with_context(active_test=False)
        with freeze_time("2026-12-10"):
            self.Contract._cron_update_states()
            self.assertEqual(contract.state, "expiring")
            self.assertEqual(other.state, "running")
            leads = Lead.search([("renewal_contract_id", "=", contract.id)])
            self.assertEqual(len(leads), 1)
            self.assertEqual(len(contract.activity_ids), 1)
            self.assertEqual(contract.activity_ids.user_id, self.user_sales)
            # idempotent: a rerun, even on a contract pushed back, never creates a second opportunity
            self.Contract._cron_update_states()
            contract._create_renewal_leads()
            self.assertEqual(Lead.search_count([("renewal_contract_id", "=", contract.id)]), 1)
            self.assertEqual(len(contract.activity_ids), 1)
        with freeze_time("2027-01-02"):
            self.Contract._cron_update_states()
            self.assertEqual(contract.state, "expired")
            self.assertEqual(other.state, "running")

    def test_cron_renewal_mail_once(self):
        contract = self._contract()
        contract.action_confirm()
        Message = self.env["mail.message"]
        template = self.env.ref("crm_plus.mail_template_contract_renewal")
        # the activity also notifies the salesperson (a user_notification): count the template's e-mail only
        domain = [("model", "=", "crm_plus.contract"), ("res_id", "=", contract.id),
                  ("message_type", "=", "notification"), ("partner_ids", "in", self.user_sales.partner_id.ids)]
        with freeze_time("2026-12-10"):
            self.Contract._cron_update_states()
            messages = Message.search(domain)
            self.assertEqual(len(messages), 1)
            self.assertIn(contract.name, messages.subject)
            self.assertIn(self.customer.name, messages.subject)
            self.assertIn(f"/odoo/crm_plus.contract/{contract.id}", str(messages.body))
            mails = self.env["mail.mail"].search([("mail_message_id", "=", messages.id)])
            self.assertEqual(len(mails), 1)
            self.assertEqual(mails.recipient_ids, self.user_sales.partner_id)
            self.assertEqual(template.model, "crm_plus.contract")
            # a rerun (or a crash resumed) never sends it again
            self.Contract._cron_update_states()
            contract._create_renewal_leads()
            self.assertEqual(Message.search_count(domain), 1)

    def test_renewal_rate(self):
        Contract = self.Contract.sudo()
        contracts = Contract.create([
            {"partner_id": self.customer.id, "date_start": date(2040, 1, 1), "date_end": end, "state": state}
            for end, state in [(date(2041, 3, 31), "renewed"), (date(2041, 5, 31), "renewed"),
                               (date(2041, 6, 30), "expired"), (date(2041, 8, 31), "expired"),
                               (date(2041, 4, 30), "terminated"), (date(2042, 1, 31), "renewed")]
        ])
        self.assertEqual(len(contracts), 6)
        self.assertAlmostEqual(self.Contract._renewal_rate(date(2041, 1, 1), date(2041, 12, 31)), 0.5)
        self.assertAlmostEqual(self.Contract._renewal_rate(date(2041, 1, 1), date(2041, 6, 30)), 2 / 3)
        self.assertEqual(self.Contract._renewal_rate(date(2020, 1, 1), date(2020, 12, 31)), 0.0)

    def test_renewal_days_setting(self):
        settings = self.env["res.config.settings"].create({"crm_plus_renewal_days": 60})
        settings.execute()
        contract = self._contract()
        contract.action_confirm()
        with freeze_time("2026-11-05"):
            self.Contract._cron_update_states()
        self.assertEqual(contract.state, "expiring")

    # --- receivable plan --------------------------------------------------------------------------------
    def test_generate_plan_and_payments(self):
        contract = self._contract()
        contract.action_confirm()
        contract.schedule = "30/40/30"
        contract.action_generate_plan()
        plan = contract.instalment_ids.sorted("date_due")
        self.assertEqual(plan.mapped("amount"), [300.0, 400.0, 300.0])
        self.assertEqual(plan[0].date_due, date(2026, 1, 1))
        self.assertEqual(plan[-1].date_due, date(2026, 12, 31))
        contract.schedule = "30/30"
        with self.assertRaisesRegex(UserError, "not valid"):
            contract.action_generate_plan()
        self._invoice(self.customer, 500.0, contract=contract, paid=500.0)
        self.assertEqual(plan.mapped("paid_amount"), [300.0, 200.0, 0.0])
        with freeze_time("2026-06-01"):
            plan.invalidate_recordset(["state"])
            self.assertEqual(plan.mapped("state"), ["paid", "partial", "due"])
        with freeze_time("2027-01-15"):
            plan.invalidate_recordset(["state"])
            self.assertEqual(plan.mapped("state"), ["paid", "overdue", "overdue"])
            Instalment = self.env["crm_plus.contract.instalment"]
            self.assertEqual(Instalment.search([("state", "=", "overdue"), ("contract_id", "=", contract.id)]),
                             plan[1:])
            self.assertEqual(Instalment.search([("state", "=", "paid"), ("contract_id", "=", contract.id)]),
                             plan[0])
        with self.assertRaisesRegex(ValidationError, "exceeds the contract amount"):
            plan[0].amount = 900.0

    def test_report_renders(self):
        contract = self._contract()
        contract.schedule = "50/50"
        contract.action_generate_plan()
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "crm_plus.action_report_crm_plus_contract", contract.ids)
        self.assertIn(contract.name, html.decode())

    def test_percentage_drives_amount(self):
        contract = self._contract(qty=2.0)
        with Form(contract) as form:
            with form.instalment_ids.new() as line:
                line.date_due = date(2026, 3, 1)
                line.percentage = 25.0
        self.assertEqual(contract.instalment_ids.amount, 500.0)

    # --- customer finance view ------------------------------------------------------------------------
    def test_partner_finance_fields(self):
        contract = self._contract()
        contract.action_confirm()
        past = fields.Date.today() - timedelta(days=10)
        self._invoice(self.customer, 1000.0, due=past, paid=400.0)
        self._invoice(self.customer, 500.0, paid=500.0)
        partner = self.customer.with_user(self.user_finance)
        self.assertEqual(partner.invoiced_total, 1500.0)
        self.assertEqual(partner.paid_total, 900.0)
        self.assertEqual(partner.open_receivable, 600.0)
        self.assertEqual(partner.overdue_amount, 600.0)
        self.assertEqual(partner.oldest_overdue_days, 10)
        self.assertEqual(partner.last_payment_date, fields.Date.today())
        self.assertEqual(partner.contract_count, 1)
        self.assertEqual(partner.contract_value, 1000.0)
        self.assertEqual(partner.next_renewal_date, date(2026, 12, 31))
        Partner = self.env["res.partner"].with_user(self.user_finance)
        self.assertIn(self.customer, Partner.search([("overdue_amount", ">", 0)]))
        self.assertIn(self.customer, Partner.search([("next_renewal_date", "<=", "2026-12-31")]))
        self.assertNotIn(self.customer, Partner.search([("next_renewal_date", "<=", "2026-11-30")]))
        # a salesperson does not see the money
        with self.assertRaises(AccessError):
            self.customer.with_user(self.user_sales).read(["overdue_amount"])

    def test_partner_finance_query_count(self):
        """Opening the finance fields costs the same number of queries with 1 or 20 invoices."""
        few, many = self.env["res.partner"].create([
            {"name": "One Invoice Ltd", "is_company": True}, {"name": "Twenty Invoices Ltd", "is_company": True}])
        self._invoice(few, 100.0, paid=50.0)
        for _i in range(20):
            self._invoice(many, 100.0, paid=50.0)
        names = ["invoiced_total", "paid_total", "open_receivable", "overdue_amount", "oldest_overdue_days",
                 "last_payment_date", "contract_count", "contract_value", "next_renewal_date"]
        self.env.flush_all()
        few.with_user(self.user_finance).read(names)  # warm-up: access rules, ormcache
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        few.with_user(self.user_finance).read(names)
        expected = self.cr.sql_log_count - start
        self.env.invalidate_all()
        with self.assertQueryCount(expected):
            values = many.with_user(self.user_finance).read(names)[0]
        self.assertEqual(values["invoiced_total"], 2000.0)
        self.assertEqual(values["open_receivable"], 1000.0)

    # --- invoice title card ---------------------------------------------------------------------------
    def test_invoice_title_card_on_invoice(self):
        self.customer.write({
            "invoice_title": "上海测试科技有限公司",
            "uscc": "91110000600037341L",
            "invoice_bank_name": "中国工商银行上海分行",
            "invoice_bank_account": "1001 2345 6789",
            "invoice_address_phone": "上海市浦东新区 021-12345678",
        })
        contact = self.env["res.partner"].create({"name": "张三", "parent_id": self.customer.id})
        move = self.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": contact.id,
            "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 100.0})],
        })
        self.assertEqual(move.commercial_partner_id, self.customer)
        self.assertEqual(move.crm_plus_invoice_title, "上海测试科技有限公司")
        self.assertEqual(move.crm_plus_invoice_uscc, self.customer.uscc)
        self.assertEqual(move.crm_plus_invoice_bank_name, "中国工商银行上海分行")
        self.assertEqual(move.crm_plus_invoice_bank_account, "1001 2345 6789")
        self.assertEqual(move.crm_plus_invoice_address_phone, "上海市浦东新区 021-12345678")
        # finance sees the card on the invoice form
        arch = move.with_user(self.user_finance).get_views([(False, "form")])["views"]["form"]["arch"]
        for fname in ("crm_plus_invoice_title", "crm_plus_invoice_uscc", "crm_plus_invoice_bank_account"):
            self.assertIn(f'name="{fname}"', arch)
        self.assertEqual(move.with_user(self.user_finance).crm_plus_invoice_title, "上海测试科技有限公司")
