from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import CrmPlusCase


@tagged("post_install", "-at_install")
class TestIdentityLock(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.locked = cls.env["res.partner"].create({
            "name": "苏州锦程机械有限公司", "is_company": True, "phone": "0512-6666 8888", "city": "苏州",
            "user_id": cls.user_sales.id})
        product = cls.env["product.product"].create({"name": "Machine", "list_price": 100})
        order = cls.env["sale.order"].create({
            "partner_id": cls.locked.id, "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})]})
        order.action_confirm()
        cls.free = cls.env["res.partner"].create({"name": "新客户有限公司", "is_company": True})

    def test_locked_flag(self):
        self.assertTrue(self.locked.with_user(self.user_sales).identity_locked)
        self.assertFalse(self.locked.with_user(self.user_steward).identity_locked)
        self.assertFalse(self.free.with_user(self.user_sales).identity_locked)

    def test_server_refuses_identity_change(self):
        with self.assertRaisesRegex(UserError, "data steward"):
            self.locked.with_user(self.user_sales).write({"phone": "0512-1111 2222"})
        with self.assertRaises(UserError):
            self.locked.with_user(self.user_manager).write({"name": "Renamed"})
        with self.assertRaises(UserError):
            self.locked.with_user(self.user_sales).write({"invoice_bank_account": "6222 0000 1111"})
        # other fields and unchanged identity values stay editable
        self.locked.with_user(self.user_sales).write({"comment": "met at the fair", "phone": self.locked.phone})
        self.free.with_user(self.user_sales).write({"phone": "0512-1111 2222"})

    def test_steward_changes_identity_fields_which_are_tracked(self):
        steward_env = self.env(user=self.user_steward, context={})
        steward_env["res.partner"].browse(self.locked.id).write({"phone": "0512-3333 4444", "name": "苏州锦程"})
        self.assertEqual(self.locked.phone, "0512-3333 4444")
        Partner = self.env["res.partner"]
        for fname in ("name", "uscc", "vat", "phone", "mobile", "email"):
            self.assertTrue(Partner._fields[fname].tracking, fname)

    def test_propose_then_approve(self):
        wizard = Form(self.env["crm_plus.partner.change.wizard"].with_user(self.user_sales).with_context(
            default_partner_id=self.locked.id))
        self.assertEqual(wizard.name, self.locked.name)
        wizard.phone = "0512-9999 0000"
        wizard.reason = "新号码"
        action = wizard.save().action_submit()
        request = self.env["crm_plus.partner.change.request"].browse(action["res_id"])
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.changes, {"phone": ["0512-6666 8888", "0512-9999 0000"]})
        self.assertEqual(self.locked.change_request_count, 1)
        with self.assertRaises(UserError):  # AccessError is a UserError
            request.with_user(self.user_sales).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.user_sales).write({"state": "approved"})
        request.with_user(self.user_steward).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(self.locked.phone, "0512-9999 0000")

    def test_reject(self):
        request = self.env["crm_plus.partner.change.request"].with_user(self.user_sales).create({
            "partner_id": self.locked.id, "changes": {"name": [self.locked.name, "X"]}, "reason": "typo"})
        self.env["crm_plus.change.reject.wizard"].with_user(self.user_steward).with_context(
            active_ids=request.ids).create({"reason": "no proof"}).action_reject()
        self.assertEqual(request.state, "rejected")
        self.assertEqual(self.locked.name, "苏州锦程机械有限公司")

    def test_requests_visible_to_requester_and_stewards_only(self):
        request = self.env["crm_plus.partner.change.request"].with_user(self.user_sales).create({
            "partner_id": self.locked.id, "changes": {"name": [self.locked.name, "X"]}, "reason": "typo"})
        Request = self.env["crm_plus.partner.change.request"]
        self.assertIn(request, Request.with_user(self.user_sales).search([]))
        self.assertIn(request, Request.with_user(self.user_steward).search([]))
        self.assertNotIn(request, Request.with_user(self.user_leader).search([]))

    def test_cannot_create_request_already_approved(self):
        request = self.env["crm_plus.partner.change.request"].with_user(self.user_sales).create({
            "partner_id": self.locked.id, "changes": {"name": [self.locked.name, "X"]}, "state": "approved"})
        self.assertEqual(request.state, "pending")
