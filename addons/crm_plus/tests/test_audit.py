"""Identity, address, bank and invoice title card changes of a customer are tracked in its chatter; contract
line prices and discounts, instalment amounts and due dates in the contract's chatter."""

from datetime import date

from odoo import Command
from odoo.tests import tagged
from odoo.tools.misc import format_date

from .common import CrmPlusCase
from .test_contract import ContractCase

# field groups a change of which must leave a tracking value on the customer
AUDITED = {
    "identity": {"name": "上海审计测试有限公司（新）", "vat": "CN-AUDIT-2", "phone": "+86 21 6000 0002",
                 "email": "audit2@example.cn"},
    "address": {"street": "淮海中路 1 号", "street2": "12 楼", "zip": "200021", "city": "上海"},
    "invoice title card": {"invoice_title": "上海审计测试有限公司", "invoice_bank_name": "招商银行上海分行",
                           "invoice_bank_account": "1219 0000 0000 0002", "invoice_address_phone": "上海 021-60000002"},
}


@tagged("post_install", "-at_install")
class TestAudit(CrmPlusCase):
    def test_each_group_is_tracked(self):
        partner = self.env["res.partner"].with_context(tracking_disable=False).create(
            {"name": "上海审计测试有限公司", "is_company": True, "vat": "CN-AUDIT-1", "email": "audit1@example.cn"})
        self.env.cr.flush()  # as after the request that created it: changes within the creation are not tracked
        for group, vals in AUDITED.items():
            with self.subTest(group=group):
                partner.with_context(tracking_disable=False).write(vals)
                self.env.cr.flush()  # tracking values are written before the commit
                tracked = self._tracked(partner)
                missing = [fname for fname in vals if fname not in tracked]
                self.assertFalse(missing, "changes not tracked: %s" % missing)
        partner.with_context(tracking_disable=False).write({"country_id": self.env.ref("base.cn").id})
        self.env.cr.flush()
        self.assertIn("country_id", self._tracked(partner))

    def test_bank_account_tracked(self):
        """Bank accounts: a change of the account number or the bank is logged on the customer."""
        partner = self.env["res.partner"].create({"name": "上海审计银行测试有限公司", "is_company": True})
        bank = self.env["res.bank"].create({"name": "招商银行上海分行"})
        account = self.env["res.partner.bank"].with_context(tracking_disable=False).create(
            {"partner_id": partner.id, "acc_number": "6225 0000 0000 0001"})
        self.env.cr.flush()
        before = partner.message_ids
        account.with_context(tracking_disable=False).write({"acc_number": "6225 0000 0000 0002",
                                                            "bank_id": bank.id})
        self.env.cr.flush()
        logged = partner.message_ids - before
        values = self.env["mail.tracking.value"].sudo().search([("mail_message_id", "in", logged.ids)])
        self.assertEqual(set(values.field_id.mapped("name")), {"acc_number", "bank_id"})
        self.assertIn("6225 0000 0000 0001", values.mapped("old_value_char"))

    def _tracked(self, partner):
        """Names of the fields whose changes the chatter of ``partner`` shows."""
        return self.env["mail.tracking.value"].sudo().search(
            [("mail_message_id", "in", partner.message_ids.ids)]).field_id.mapped("name")


@tagged("post_install", "-at_install")
class TestContractAudit(ContractCase):
    """Lines have no chatter: their tracked changes are one note on the contract, old -> new."""

    def _notes(self, contract, before):
        return [message.body for message in contract.message_ids - before]

    def test_line_price_and_discount_tracked(self):
        contract = self._contract(qty=2.0, price=1000.0, discount=5.0)
        before = contract.message_ids
        contract.line_ids.with_context(tracking_disable=False).write({"price_unit": 900.0, "discount": 10.0})
        [body] = self._notes(contract, before)
        self.assertIn("Unit Price: 1,000.00 \N{RIGHTWARDS ARROW} 900.00", body)
        self.assertIn("Discount (%): 5.00 \N{RIGHTWARDS ARROW} 10.00", body)
        self.assertIn(contract.line_ids.display_name, body)
        # an unchanged value, or an untracked field, logs nothing
        before = contract.message_ids
        contract.line_ids.with_context(tracking_disable=False).write({"price_unit": 900.0, "sequence": 3})
        self.assertFalse(self._notes(contract, before))

    def test_instalment_amount_and_date_tracked(self):
        contract = self._contract(qty=1.0, price=1000.0)
        contract.write({"instalment_ids": [
            Command.create({"date_due": date(2026, 3, 31), "sequence": 1, "amount": 400.0}),
            Command.create({"date_due": date(2026, 6, 30), "sequence": 2, "amount": 600.0})]})
        first = contract.instalment_ids.sorted("date_due")[0]
        before = contract.message_ids
        first.with_context(tracking_disable=False).write({"amount": 300.0, "date_due": date(2026, 4, 30)})
        [body] = self._notes(contract, before)
        self.assertIn("Amount: ", body)
        self.assertIn("400.00", body)
        self.assertIn("300.00", body)
        self.assertIn("Due Date: %s \N{RIGHTWARDS ARROW} %s" % (
            format_date(self.env, date(2026, 3, 31)), format_date(self.env, date(2026, 4, 30))), body)
        # a share drives the amount: both changes are logged
        before = contract.message_ids
        first.with_context(tracking_disable=False).write({"percentage": 20.0})
        [body] = self._notes(contract, before)
        self.assertIn("Share (%): 0.00 \N{RIGHTWARDS ARROW} 20.00", body)
        self.assertIn("200.00", body)
