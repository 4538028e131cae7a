"""Identity, address and invoice title card changes of a customer are tracked in its chatter."""

from odoo.tests import tagged

from .common import CrmPlusCase

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

    def _tracked(self, partner):
        """Names of the fields whose changes the chatter of ``partner`` shows."""
        return self.env["mail.tracking.value"].sudo().search(
            [("mail_message_id", "in", partner.message_ids.ids)]).field_id.mapped("name")
