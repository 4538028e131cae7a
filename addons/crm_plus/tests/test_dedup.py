from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from .common import CrmPlusCase


@tagged("post_install", "-at_install")
class TestDedupScanAndMerge(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"].with_context(tracking_disable=True)
        cls.a = Partner.create({"name": "上海鼎盛光电科技有限公司", "is_company": True, "city": "上海",
                                "phone": "021-5555 0101", "email": "info@dingsheng.example.cn"})
        cls.b = Partner.create({"name": "鼎盛光電科技（上海）有限公司", "is_company": True, "city": "上海",
                                "phone": "+86 21 5555 0101"})
        cls.c = Partner.create({"name": "上海鼎盛光电", "is_company": True, "city": "上海",
                                "email": "INFO@dingsheng.example.cn"})
        cls.unrelated = Partner.create({"name": "北京远航物流有限公司", "is_company": True, "city": "北京"})
        cls.person1 = Partner.create({"name": "赵磊", "mobile": "13912345678"})
        cls.person2 = Partner.create({"name": "赵总", "mobile": "+86 139 1234 5678"})
        cls.Group = cls.env["crm_plus.duplicate.group"]

    def scan(self):
        self.env["ir.config_parameter"].set_param("crm_plus.dedup_last_scan", "")
        return self.Group._cron_scan()

    def group_of(self, partner):
        return self.Group.search([("partner_ids", "in", partner.id), ("state", "=", "open")])

    def test_scan_groups_and_is_idempotent(self):
        created, _updated = self.scan()
        self.assertGreaterEqual(created, 2)
        group = self.group_of(self.a)
        self.assertEqual(group.partner_ids, self.a | self.b | self.c)
        self.assertGreaterEqual(group.score, 0.9)
        self.assertEqual(self.group_of(self.person1).partner_ids, self.person1 | self.person2)
        self.assertFalse(self.group_of(self.unrelated))
        count = self.Group.search_count([])
        self.assertEqual(self.scan(), (0, 0))
        self.assertEqual(self.Group.search_count([]), count)

    def test_dismissed_group_does_not_come_back(self):
        self.scan()
        group = self.group_of(self.person1)
        group.with_user(self.user_steward).action_dismiss()
        self.assertEqual(group.state, "dismissed")
        self.scan()
        self.assertFalse(self.group_of(self.person1))

    def test_only_stewards_merge(self):
        self.scan()
        group = self.group_of(self.a)
        with self.assertRaises(AccessError):
            group.with_user(self.user_sales).read(["name"])
        with self.assertRaises(UserError):  # AccessError is a UserError
            group.with_user(self.user_manager).action_merge()

    def _fk_counts(self, ids):
        """{table.column: rows referencing any of ids} for every foreign key to res_partner."""
        merge = self.env["crm_plus.partner.merge"]
        counts = {}
        for table, column in merge._partner_foreign_keys():
            self.env.cr.execute(SQL("SELECT count(*) FROM %s WHERE %s = ANY(%s)",
                                    SQL.identifier(table), SQL.identifier(column), list(ids)))
            counts["%s.%s" % (table, column)] = self.env.cr.fetchone()[0]
        return counts

    def test_merge_keeps_every_reference(self):
        tag = self.env["res.partner.category"].create({"name": "VIP"})
        (self.a | self.b).write({"category_id": [(4, tag.id)]})  # the same link on master and source
        contact = self.env["res.partner"].create({"name": "李娜", "parent_id": self.b.id})
        lead = self.env["crm.lead"].create({"name": "Deal", "partner_id": self.c.id})
        order = self.env["sale.order"].create({"partner_id": self.b.id})
        self.b.message_post(body="note on b")
        self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get_id("res.partner"), "res_id": self.c.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id, "summary": "call back"})
        self.scan()
        group = self.group_of(self.a)
        group.master_id = self.a
        self.env.flush_all()
        everyone = (self.a | self.b | self.c).ids
        before = self._fk_counts(everyone)
        group.with_user(self.user_steward).action_merge()
        self.env.flush_all()
        after = self._fk_counts(everyone)
        # the only new references are the archived partners' own link to the one kept
        self.assertEqual(after.pop("res_partner.merged_into_id") - before.pop("res_partner.merged_into_id"), 2)
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        self.assertEqual(changed, {}, "no row referencing the merged partners was added or dropped")
        self.assertEqual(group.state, "merged")
        self.assertFalse((self.b | self.c).filtered("active"))
        self.assertEqual((self.b | self.c).mapped("merged_into_id"), self.a)
        self.assertEqual(contact.parent_id, self.a)
        self.assertEqual(contact.commercial_partner_id, self.a)
        self.assertEqual(lead.partner_id, self.a)
        self.assertEqual(order.partner_id, self.a)
        self.assertIn("note on b", "".join(self.a.message_ids.mapped("body")))
        self.assertTrue(self.a.activity_ids.filtered(lambda a: a.summary == "call back"))
        log = self.a.message_ids[0].body
        self.assertIn(self.b.name, log)
        self.assertIn("sale_order.partner_id", log)

    def test_merge_many_partners(self):
        Partner = self.env["res.partner"]
        clones = Partner.create([{"name": "Clone %d" % i, "email": "same@clone.example"} for i in range(6)])
        self.env["crm_plus.partner.merge"].with_user(self.user_steward)._merge(clones[0], clones[1:])
        self.assertEqual(clones.filtered("active"), clones[0])

    def test_cannot_merge_company_with_its_contact(self):
        contact = self.env["res.partner"].create({"name": "Sub", "parent_id": self.a.id})
        with self.assertRaises(UserError):
            self.env["crm_plus.partner.merge"]._merge(self.a, contact)

    def test_incremental_scan_finds_similar_names(self):
        """A later scan compares changed partners by name similarity: a pinyin-input typo is caught."""
        Partner = self.env["res.partner"]
        first = Partner.create({"name": "天津远航物流有限公司", "is_company": True, "city": "天津"})
        typo = Partner.create({"name": "天津远杭物流有限公司", "is_company": True, "city": "天津"})  # 航/杭
        elsewhere = Partner.create({"name": "重庆远杭物流有限公司", "is_company": True, "city": "重庆"})
        self.assertNotEqual(first.company_name_core, typo.company_name_core)
        self.env.flush_all()
        self.env.cr.execute("UPDATE res_partner SET write_date = now() - interval '2 days'")
        self.env.cr.execute("UPDATE res_partner SET write_date = now() WHERE id = %s", [typo.id])
        self.env["ir.config_parameter"].set_param(
            "crm_plus.dedup_last_scan", fields.Datetime.to_string(fields.Datetime.now() - timedelta(days=1)))
        self.Group._cron_scan()
        group = self.group_of(typo)
        self.assertEqual(group.partner_ids, first | typo)
        self.assertIn("similar", group.reasons)
        self.assertNotIn(elsewhere, group.partner_ids)
