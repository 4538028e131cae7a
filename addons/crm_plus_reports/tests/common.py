from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.crm_plus_service.tests.common import CrmPlusServiceCase

# the analyses read under the scope of a source model (crm_plus_reports.models.*: _crm_plus_source)
SCOPED_REPORTS = (
    "crm_plus.report.pipeline",
    "crm_plus.report.cohort",
    "crm_plus.report.renewal",
    "crm_plus.report.receivable",
    "crm_plus.report.ticket",
    "crm_plus.report.referral",
    "crm_plus.report.competitor",
    "crm_plus.report.survey",
)


class CrmPlusReportsCase(CrmPlusServiceCase):
    """Every role, and a little of everything the analyses count: leads, orders, contracts, invoices, tickets.

    A team led by the team leader with the salesperson as member; an outsider salesperson in no team; records
    of each owned by the salesperson, the team leader, the outsider, the manager and nobody.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_admin = cls.env.ref("base.user_admin")
        cls.outsider = new_test_user(cls.env, login="cp_report_out", name="Outsider Sales",
                                     groups="crm_plus.group_crm_plus_user", lang="en_US")
        cls.team = cls.env["crm.team"].create({
            "name": "Report Team", "user_id": cls.user_leader.id, "crm_plus_weekly_target": 3,
            "crm_team_member_ids": [Command.create({"user_id": cls.user_sales.id})],
        })
        cls.customer.team_id = cls.team
        Partner = cls.env["res.partner"]
        cls.outsider_customer = Partner.create({"name": "Outsider Customer Ltd", "is_company": True,
                                                "user_id": cls.outsider.id})
        cls.manager_customer = Partner.create({"name": "Manager Customer Ltd", "is_company": True,
                                               "user_id": cls.user_manager.id})
        cls.product = cls._setup_invoicing("Report Service")
        cls.now = fields.Datetime.now()
        cls.today = fields.Date.context_today(cls.env.user)
        cls._make_leads()
        cls._make_referrals_and_competitors()
        cls._make_orders()
        cls._make_contracts()
        cls._make_invoices()
        cls._make_survey_requests()
        cls.env.flush_all()

    @classmethod
    def _make_leads(cls):
        Lead = cls.env["crm.lead"]
        cls.source_referral = cls.env["utm.source"].create({"name": "Referral (report test)"})
        cls.source_web = cls.env["utm.source"].create({"name": "Website (report test)"})
        cls.lost_reason = cls.env["crm.lost.reason"].create({"name": "Too expensive (report test)"})
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        vals = {"type": "opportunity", "expected_revenue": 1000}
        cls.lead_sales = Lead.create({**vals, "name": "Sales' deal", "user_id": cls.user_sales.id,
                                      "team_id": cls.team.id, "partner_id": cls.customer.id,
                                      "source_id": cls.source_referral.id})
        cls.lead_sales_won = Lead.create({**vals, "name": "Sales' won deal", "user_id": cls.user_sales.id,
                                          "team_id": cls.team.id, "source_id": cls.source_referral.id,
                                          "expected_revenue": 3000})
        cls.lead_sales_won.action_set_won()
        cls.lead_sales_lost = Lead.create({**vals, "name": "Sales' lost deal", "user_id": cls.user_sales.id,
                                           "team_id": cls.team.id, "source_id": cls.source_web.id})
        cls.lead_sales_lost.action_set_lost(lost_reason_id=cls.lost_reason.id)
        cls.lead_leader = Lead.create({**vals, "name": "Leader's deal", "user_id": cls.user_leader.id,
                                       "team_id": cls.team.id, "source_id": cls.source_web.id})
        cls.lead_outsider = Lead.create({**vals, "name": "Outsider's deal", "user_id": cls.outsider.id,
                                         "team_id": False, "source_id": cls.source_referral.id})
        cls.lead_manager = Lead.create({**vals, "name": "Manager's deal", "user_id": cls.user_manager.id,
                                        "team_id": False})
        cls.lead_unassigned = Lead.create({"name": "Nobody's lead", "type": "lead", "user_id": False,
                                           "team_id": False, "source_id": cls.source_web.id})
        cls.leads = (cls.lead_sales | cls.lead_sales_won | cls.lead_sales_lost | cls.lead_leader
                     | cls.lead_outsider | cls.lead_manager | cls.lead_unassigned)

    @classmethod
    def _make_referrals_and_competitors(cls):
        """Referred leads (by a customer, an employee, a contact) and competitors met on the opportunities."""
        cls.referrer_contact = cls.env["res.partner"].create({"name": "Referring Contact",
                                                              "parent_id": cls.manager_customer.id})
        cls.lead_sales_won.crm_plus_referrer_partner_id = cls.manager_customer
        cls.lead_sales_lost.crm_plus_referrer_partner_id = cls.manager_customer
        cls.lead_outsider.crm_plus_referrer_user_id = cls.user_manager
        cls.lead_unassigned.crm_plus_referrer_partner_id = cls.referrer_contact
        cls.referred_leads = cls.lead_sales_won | cls.lead_sales_lost | cls.lead_outsider | cls.lead_unassigned
        Competitor = cls.env["crm_plus.competitor"]
        cls.rival = Competitor.create({"name": "Rival (report test)"})
        cls.other_rival = Competitor.create({"name": "Other Rival (report test)"})
        Line = cls.env["crm_plus.lead.competitor"]
        cls.competitor_lines = Line.create([
            {"lead_id": lead.id, "competitor_id": cls.rival.id, "price": price}
            for lead, price in ((cls.lead_sales, 800.0), (cls.lead_sales_won, 2500.0), (cls.lead_sales_lost, 700.0),
                                (cls.lead_leader, 900.0), (cls.lead_outsider, 1000.0))
        ]) | Line.create({"lead_id": cls.lead_sales_lost.id, "competitor_id": cls.other_rival.id})

    @classmethod
    def _confirmed_order(cls, partner, date_order, amount=1000.0):
        order = cls.env["sale.order"].create({
            "partner_id": partner.id, "user_id": partner.user_id.id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 1,
                                           "price_unit": amount})],
        })
        order.action_confirm()
        order.date_order = date_order
        return order

    @classmethod
    def _make_orders(cls):
        this_month = cls.now.replace(day=1, hour=10)
        last_month = (this_month - timedelta(days=1)).replace(day=1)
        cls.orders = (cls._confirmed_order(cls.customer, last_month)
                      | cls._confirmed_order(cls.customer, this_month, 500.0)
                      | cls._confirmed_order(cls.outsider_customer, this_month)
                      | cls._confirmed_order(cls.manager_customer, last_month))
        cls.cohort_months = (last_month.date(), this_month.date())

    @classmethod
    def _contract(cls, partner, user, date_end, state, amount=1000.0, **vals):
        return cls.env["crm_plus.contract"].create({
            "partner_id": partner.id, "user_id": user.id, "state": state,
            "date_start": date_end - timedelta(days=365), "date_end": date_end,
            "line_ids": [Command.create({"product_id": cls.product.id, "name": "Service", "quantity": 1,
                                         "price_unit": amount})],
            **vals,
        })

    @classmethod
    def _make_contracts(cls):
        soon = cls.today + timedelta(days=20)
        past = cls.today - timedelta(days=40)
        cls.contract_sales = cls._contract(cls.customer, cls.user_sales, soon, "running")
        cls.contract_outsider = cls._contract(cls.outsider_customer, cls.outsider, past, "expired")
        cls.contract_manager = cls._contract(cls.manager_customer, cls.user_manager, past, "renewed")
        cls.contracts = cls.contract_sales | cls.contract_outsider | cls.contract_manager

    @classmethod
    def _invoice(cls, partner, user, due, amount=1000.0):
        move = cls.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_user_id": user.id if user else False,
            "invoice_date": due - timedelta(days=30), "invoice_date_due": due,
            "invoice_line_ids": [Command.create({"product_id": cls.product.id, "quantity": 1,
                                                 "price_unit": amount, "tax_ids": [Command.clear()]})],
        })
        move.action_post()
        return move

    @classmethod
    def _make_invoices(cls):
        cls.invoice_sales_due = cls._invoice(cls.customer, cls.user_sales, cls.today + timedelta(days=10), 100.0)
        cls.invoice_sales_late = cls._invoice(cls.customer, cls.user_sales, cls.today - timedelta(days=45), 200.0)
        cls.invoice_outsider = cls._invoice(cls.outsider_customer, cls.outsider, cls.today - timedelta(days=100),
                                            400.0)
        cls.invoice_nobody = cls._invoice(cls.other_customer, None, cls.today - timedelta(days=5), 800.0)
        cls.invoices = cls.invoice_sales_due | cls.invoice_sales_late | cls.invoice_outsider | cls.invoice_nobody

    @classmethod
    def _make_survey_requests(cls):
        survey = cls.env["survey.survey"].create({"title": "Satisfaction (report test)"})
        Request = cls.env["crm_plus.survey.request"]
        cls.survey_requests = Request.create([
            {"res_model": "sale.order", "res_id": order.id, "survey_id": survey.id, "partner_id": partner.id,
             "user_id": partner.user_id.id, "team_id": partner.team_id.id, "state": state, "score": score,
             "date_answered": cls.now if state == "answered" else False}
            for order, partner, state, score in zip(cls.orders, (cls.customer, cls.outsider_customer,
                                                                 cls.manager_customer, cls.other_customer),
                                                    ("answered", "answered", "sent", "skipped"), (20.0, 90.0, 0, 0),
                                                    strict=False)])

    @classmethod
    def role_users(cls):
        """{role name: user} for every role of the addons and the administrator."""
        return {
            "sales": cls.user_sales, "team leader": cls.user_leader, "sales manager": cls.user_manager,
            "finance": cls.user_finance, "data steward": cls.user_steward, "employee": cls.user_employee,
            "service agent": cls.user_agent, "service manager": cls.user_service_manager,
            "administrator": cls.user_admin,
        }
