from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CrmPlusCase


@tagged("post_install", "-at_install")
class TestSegment(CrmPlusCase):
    """Saved segments: sizes per scope, visibility per role, the "In segment" search, actions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales_2 = new_test_user(cls.env, login="cp_sales_2", groups="crm_plus.group_crm_plus_user",
                                         name="Cp Sales 2", lang="en_US")
        cls.tag = cls.env["res.partner.category"].create(
            {"name": "Segment Test Tag", "crm_plus_dimension": "interest"})
        cls.other_tag = cls.env["res.partner.category"].create({"name": "Free Tag"})
        Partner = cls.env["res.partner"]
        cls.mine = Partner.create({"name": "分群测试一号", "is_company": True, "user_id": cls.user_sales.id,
                                   "category_id": [Command.set([cls.tag.id, cls.other_tag.id])]})
        cls.theirs = Partner.create({"name": "分群测试二号", "is_company": True, "user_id": cls.user_sales_2.id,
                                     "category_id": [Command.set(cls.tag.ids)]})
        cls.outside = Partner.create({"name": "分群测试三号", "is_company": True, "user_id": cls.user_sales.id})
        cls.domain = repr([("category_id", "in", cls.tag.ids)])
        Segment = cls.env["crm_plus.segment"]
        cls.shared = Segment.with_user(cls.user_manager).create(
            {"name": "Shared interest", "domain": cls.domain, "shared": True}).with_env(cls.env)
        cls.private = Segment.with_user(cls.user_sales).create(
            {"name": "My interest", "domain": cls.domain}).with_env(cls.env)

    def test_sizes_counted_in_each_scope(self):
        self.env["crm_plus.segment"]._cron_refresh_sizes()
        self.assertEqual(self.shared.size, 2, "the manager owns it and sees both customers")
        self.assertEqual(self.private.size, 1, "counted as its owner, a salesperson: their own customer only")
        self.assertTrue(self.shared.size_date)
        self.assertEqual(self.shared.with_user(self.user_manager).my_size, 2)
        self.assertEqual(self.shared.with_user(self.user_sales).my_size, 1)
        self.assertEqual(self.shared.with_user(self.user_sales_2).my_size, 1)
        # the owner's stored count is for sales managers only
        with self.assertRaises(AccessError):
            self.shared.with_user(self.user_sales).read(["size"])

    def test_count_now_on_demand(self):
        self.private.with_user(self.user_sales).action_refresh_size()
        self.assertEqual(self.private.size, 1)
        self.env["res.partner"].create({"name": "分群测试四号", "is_company": True, "user_id": self.user_sales.id,
                                        "category_id": [Command.set(self.tag.ids)]})
        self.private.with_user(self.user_sales).action_refresh_size()
        self.assertEqual(self.private.size, 2)
        self.assertEqual(self.private.with_user(self.user_sales).my_size, 2)

    def test_visibility_per_role(self):
        Segment = self.env["crm_plus.segment"]
        visible = {
            self.user_sales: {self.shared, self.private},
            self.user_sales_2: {self.shared},
            self.user_leader: {self.shared},
            self.user_manager: {self.shared, self.private},
            self.user_finance: {self.shared},
            self.user_steward: {self.shared},
        }
        for user, segments in visible.items():
            with self.subTest(user=user.login):
                found = Segment.with_user(user).search([("id", "in", (self.shared | self.private).ids)])
                self.assertEqual(set(found), segments)
        with self.assertRaises(AccessError):
            Segment.with_user(self.user_employee).search([])
        # a shared segment is read by all, changed by its owner (and sales managers) only
        for user in (self.user_sales, self.user_finance, self.user_steward):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.shared.with_user(user).write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            self.private.with_user(self.user_sales_2).unlink()
        self.private.with_user(self.user_manager).write({"description": "Checked"})
        own = Segment.with_user(self.user_finance).create({"name": "Finance view", "domain": "[]"})
        self.assertEqual(own.user_id, self.user_finance)

    def test_ledger_read_by_managers_only(self):
        Ledger = self.env["crm_plus.engagement"]
        row = Ledger._crm_plus_record("care", [(self.mine, "test", self.mine, self.user_sales)])
        self.assertEqual(len(row), 1)
        for user in (self.user_sales, self.user_leader, self.user_finance, self.user_steward, self.user_employee):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Ledger.with_user(user).search([])
        self.assertEqual(Ledger.with_user(self.user_manager).search([("id", "=", row.id)]), row)
        with self.assertRaises(AccessError):
            Ledger.with_user(self.user_manager).create({"recipe": "care", "model": "res.partner",
                                                        "res_id": self.mine.id, "occasion": "forged"})

    def test_in_segment_search(self):
        Partner = self.env["res.partner"]
        scope = [("id", "in", (self.mine | self.theirs | self.outside).ids)]
        self.assertEqual(Partner.search([*scope, ("crm_plus_segment_ids", "in", self.shared.ids)]),
                         self.mine | self.theirs)
        self.assertEqual(Partner.search([*scope, ("crm_plus_segment_ids", "not in", self.shared.ids)]), self.outside)
        self.assertEqual(Partner.search([*scope, ("crm_plus_segment_ids", "=", "Shared interest")]),
                         self.mine | self.theirs)
        # as a salesperson: their scope, and someone else's private segment selects nobody
        as_sales_2 = Partner.with_user(self.user_sales_2)
        self.assertEqual(as_sales_2.search([*scope, ("crm_plus_segment_ids", "in", self.shared.ids)]), self.theirs)
        self.assertFalse(as_sales_2.search([*scope, ("crm_plus_segment_ids", "in", self.private.ids)]))
        # the field on the customer lists the segments it is in (of those the reader sees)
        self.assertEqual(self.mine.with_user(self.user_sales).crm_plus_segment_ids, self.shared | self.private)
        self.assertFalse(self.outside.crm_plus_segment_ids)
        with self.assertRaises(UserError):
            Partner.search([("crm_plus_segment_ids", ">", 1)])
        self.assertEqual(Partner.search([*scope, ("crm_plus_segment_ids", "ilike", "shared INT")]),
                         self.mine | self.theirs)

    def test_segment_using_segments_stops(self):
        nested = self.env["crm_plus.segment"].create(
            {"name": "Nested", "domain": repr([("crm_plus_segment_ids", "in", self.shared.ids)])})
        self.assertEqual(nested.my_size, 2)
        # a segment of a segment of a segment: three levels (MAX_SEGMENT_DEPTH), also searched from customers
        twice = self.env["crm_plus.segment"].create(
            {"name": "Twice Nested", "domain": repr([("crm_plus_segment_ids", "in", nested.ids)])})
        self.assertEqual(twice.my_size, 2)
        self.assertEqual(self.env["res.partner"].search_count([("crm_plus_segment_ids", "in", twice.ids)]), 2)
        with self.assertRaises(UserError):
            nested.domain = repr([("crm_plus_segment_ids", "in", nested.ids)])
            self.env.flush_all()
        with self.assertRaises(ValidationError):
            self.env["crm_plus.segment"].create({"name": "Broken", "domain": "[('no_such_field', '=', 1)]"})

    def test_actions(self):
        action = self.shared.with_user(self.user_sales).action_open_customers()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(action["context"]["search_default_crm_plus_segment_ids"], self.shared.name)
        if "mailing.mailing" in self.env:
            mailing = self.shared.action_mass_mailing()
            self.assertIn("crm_plus_segment_ids", mailing["context"]["default_mailing_domain"])
        else:
            self.assertFalse(self.shared.mass_mailing_installed)
            with self.assertRaises(UserError):
                self.shared.action_mass_mailing()
        with self.assertRaises(UserError):
            self.shared.with_user(self.user_manager).action_create_automation()
        rule_action = self.shared.with_user(self.env.ref("base.user_admin")).action_create_automation()
        rule = self.env["base.automation"].browse(rule_action["res_id"])
        self.assertEqual(rule.model_id.model, "res.partner")
        self.assertEqual(self.shared.automation_count, 1)
        # the rule's filter is the segment: it selects the segment's customers
        self.assertEqual(self.env["res.partner"].search(safe_eval(rule.filter_domain)) & (self.mine | self.outside),
                         self.mine)

    def test_tags_by_dimension(self):
        industry = self.env.ref("crm_plus.partner_tag_industry_manufacturing")
        self.assertEqual(self.mine.crm_plus_interest_tag_ids, self.tag)
        self.assertFalse(self.mine.crm_plus_industry_tag_ids)
        self.mine.crm_plus_industry_tag_ids = industry
        self.assertEqual(self.mine.category_id, self.tag | self.other_tag | industry, "other tags are kept")
        self.mine.crm_plus_interest_tag_ids = False
        self.assertEqual(self.mine.category_id, self.other_tag | industry)
        self.assertIn(self.mine, self.env["res.partner"].search([("crm_plus_industry_tag_ids", "in", industry.ids)]))
        dimensions = set(self.env["res.partner.category"].search([("crm_plus_dimension", "!=", False)])
                         .mapped("crm_plus_dimension"))
        self.assertEqual(dimensions, {"industry", "size", "interest", "purchase_stage", "lifecycle"})
