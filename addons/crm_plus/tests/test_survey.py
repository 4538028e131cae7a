"""After-sale surveys: sent once when an order is fully delivered, never to opted-out customers; the answer's
score on the request, a low score a churn signal; who reads the requests."""

from datetime import datetime

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CrmPlusCase


@tagged("post_install", "-at_install", "crm_plus_survey")
class TestAfterSaleSurvey(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.survey = env["survey.survey"].create({
            "title": "售后满意度调查 (test)", "access_mode": "token",
            "question_and_page_ids": [
                Command.create({"title": "满意吗？", "question_type": "scale", "scale_min": 1, "scale_max": 5}),
                Command.create({"title": "建议", "question_type": "text_box"}),
            ],
        })
        cls.rating = cls.survey.question_ids.filtered(lambda q: q.question_type == "scale")
        cls.survey.crm_plus_rating_question_id = cls.rating
        env["ir.config_parameter"].sudo().set_param("crm_plus.survey_delivery_id", str(cls.survey.id))
        cls.team = env["crm.team"].create({"name": "Survey Team", "member_ids": [Command.link(cls.user_sales.id)]})
        cls.customer.write({"team_id": cls.team.id})
        cls.contact = env["res.partner"].create({"name": "售后联系人 王五", "parent_id": cls.customer.id,
                                                 "email": "wangwu@survey-test.example"})
        cls.product = env["product.product"].create({"name": "Survey service", "type": "service", "list_price": 10})

    def _order(self, partner=None, user=None, qty=2):
        order = self.env["sale.order"].create({
            "partner_id": (partner or self.contact).id, "user_id": (user or self.user_sales).id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": qty})],
        })
        order.action_confirm()
        return order

    def _deliver(self, order, qty=None):
        for line in order.order_line:
            line.qty_delivered = line.product_uom_qty if qty is None else qty
        # the transaction's end: stored computes written, then the pre-commit hooks
        self.env.cr.flush()

    def _requests(self, order):
        return self.env["crm_plus.survey.request"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])

    def _mails(self, request):
        return self.env["mail.mail"].search([("model", "=", request._name), ("res_id", "=", request.id)])

    def test_sent_once_when_fully_delivered(self):
        order = self._order()
        self._deliver(order, qty=1)
        self.assertFalse(self._requests(order), "partly delivered: no survey yet")
        self._deliver(order)
        request = self._requests(order)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "sent")
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.contact_id, self.contact)
        self.assertEqual(request.user_id, self.user_sales)
        self.assertEqual(request.user_input_id.partner_id, self.contact)
        mail = self._mails(request)
        self.assertEqual(len(mail), 1)
        self.assertIn(request.user_input_id.access_token, mail.body_html)
        self.assertEqual(mail.recipient_ids, self.contact)
        # reruns: the trigger again, a delivery undone and redone, the hook called by hand
        self._deliver(order, qty=0)
        self._deliver(order)
        order._crm_plus_send_delivery_survey()
        self.env.cr.flush()
        self.assertEqual(self._requests(order), request)
        self.assertEqual(len(self._mails(request)), 1)
        self.assertEqual(self.env["survey.user_input"].search_count([("survey_id", "=", self.survey.id)]), 1)

    def test_install_sets_the_flag_as_the_compute(self):
        """The flag set in SQL at install (no compute of every order) agrees with the compute."""
        full, part, draft, nothing = self._order(), self._order(), self._order(), self._order(qty=3)
        draft.action_cancel()
        self._deliver(full)
        self._deliver(part, qty=1)
        self._deliver(nothing, qty=0)
        orders = full | part | draft | nothing
        computed = {order.id: order.crm_plus_delivered for order in orders}
        self.assertEqual(computed, {full.id: True, part.id: False, draft.id: False, nothing.id: False})
        self.env.cr.execute("UPDATE sale_order SET crm_plus_delivered = NULL WHERE id = ANY(%s)", [orders.ids])
        orders._crm_plus_init_delivered()
        orders.invalidate_recordset(["crm_plus_delivered"])
        self.assertEqual({order.id: order.crm_plus_delivered for order in orders}, computed)

    def test_unique_per_document(self):
        order = self._order()
        self._deliver(order)
        vals = {"res_model": "sale.order", "res_id": order.id, "survey_id": self.survey.id,
                "partner_id": self.customer.id}
        self.assertFalse(self.env["crm_plus.survey.request"].sudo()._crm_plus_create_once(vals))

    def test_no_survey_configured(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_plus.survey_delivery_id", "")
        order = self._order()
        self._deliver(order)
        self.assertFalse(self._requests(order))

    def test_blacklisted_customer_gets_nothing(self):
        self.env["mail.blacklist"].sudo()._add(self.contact.email)
        order = self._order()
        self._deliver(order)
        request = self._requests(order)
        self.assertEqual((request.state, request.skip_reason), ("skipped", "blacklisted"))
        self.assertFalse(request.user_input_id)
        self.assertFalse(self._mails(request))

    def test_no_email(self):
        contact = self.env["res.partner"].create({"name": "无邮箱联系人", "parent_id": self.customer.id})
        order = self._order(partner=contact)
        self._deliver(order)
        self.assertEqual(self._requests(order).skip_reason, "no_email")

    def _answer(self, request, value):
        answer = request.user_input_id
        answer._save_lines(self.rating, str(value))
        answer._mark_done()
        return answer

    def test_score_and_churn_signal(self):
        now = fields.Datetime.now()
        order = self._order()
        self._deliver(order)
        request = self._requests(order)
        self._answer(request, 2)
        self.assertEqual(request.state, "answered")
        self.assertEqual(request.score, 25.0, "2 on a 1-5 scale")
        self.assertIn(self.customer.id, self.customer._crm_plus_churn_signals(now, 30))
        # a satisfied customer is no signal
        other = self.env["res.partner"].create({"name": "满意客户", "is_company": True,
                                                "email": "happy@survey-test.example"})
        order = self._order(partner=other)
        self._deliver(order)
        self._answer(self._requests(order), 5)
        self.assertEqual(self._requests(order).score, 100.0)
        self.assertNotIn(other.id, other._crm_plus_churn_signals(now, 30))
        # an old low score is no longer a signal
        request.date_answered = datetime(2020, 1, 1)
        self.assertNotIn(self.customer.id, self.customer._crm_plus_churn_signals(now, 30))

    def test_low_score_flags_churn_risk(self):
        """The daily lifecycle scan flags an active customer with a low score Churn Risk."""
        order = self._order()
        self._deliver(order)
        self._answer(self._requests(order), 1)
        self.env["res.partner"]._cron_compute_lifecycle()
        self.assertEqual(self.customer.lifecycle_state, "churn_risk")

    def test_scoring_percentage_without_rating_question(self):
        self.survey.crm_plus_rating_question_id = False
        order = self._order()
        self._deliver(order)
        request = self._requests(order)
        self._answer(request, 1)
        self.assertEqual(request.score, request.user_input_id.scoring_percentage)

    def test_access_per_role(self):
        outsider = new_test_user(self.env, login="cp_survey_outsider", groups="crm_plus.group_crm_plus_user",
                                 name="Survey Outsider")
        other = self.env["res.partner"].create({"name": "别组客户", "is_company": True, "user_id": outsider.id,
                                                "email": "other@survey-test.example"})
        mine, theirs = self._order(), self._order(partner=other, user=outsider)
        self._deliver(mine)
        self._deliver(theirs)
        requests = self._requests(mine) | self._requests(theirs)
        Request = self.env["crm_plus.survey.request"]
        self.assertEqual(Request.with_user(self.user_sales).search([("id", "in", requests.ids)]), self._requests(mine))
        self.assertEqual(Request.with_user(self.user_manager).search([("id", "in", requests.ids)]), requests)
        with self.assertRaises(AccessError):
            self._requests(mine).with_user(self.user_sales).write({"score": 1})
        with self.assertRaises(AccessError):
            Request.with_user(self.user_sales).create({
                "res_model": "sale.order", "res_id": 1, "survey_id": self.survey.id, "partner_id": self.customer.id})
        for user in (self.user_finance, self.user_employee):
            with self.assertRaises(AccessError):
                Request.with_user(user).search([])
