"""Customer pool (公海): customers nobody follows up return to the pool; salespeople claim them back."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_plus.tools.dates import day_start_utc

from .common import CrmPlusCase

# create_date comes from the database clock (not frozen): the scenario starts today
START = datetime.now().replace(microsecond=0)


@tagged("post_install", "-at_install", "crm_plus_pool")
class TestPool(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only the pool of this test (demo data may have others)
        cls.env["crm_plus.pool"].search([]).action_archive()
        cls.team = cls.env["crm.team"].create({"name": "Pool team", "user_id": cls.user_leader.id})
        cls.seller = new_test_user(cls.env, login="cp_pool_seller", name="Pool Seller",
                                   groups="crm_plus.group_crm_plus_user", lang="en_US")
        cls.pool = cls.env["crm_plus.pool"].create({
            "name": "East pool", "team_ids": [(6, 0, cls.team.ids)], "recover_days": 30, "claim_limit": 2,
            "member_ids": [(6, 0, (cls.user_sales | cls.seller).ids)],
        })
        with freeze_time(START):
            cls.partners = cls.env["res.partner"].create([{
                "name": "公海客户 %d 有限公司" % i, "is_company": True, "user_id": cls.seller.id,
                "team_id": cls.team.id} for i in range(4)])
            cls.other_team_partner = cls.env["res.partner"].create({
                "name": "Other team customer", "is_company": True, "user_id": cls.seller.id})

    def recover(self, days):
        with freeze_time(START + timedelta(days=days)):
            return self.env["crm_plus.pool"]._cron_recover(batch_size=2)

    def test_recover_after_days_without_follow_up(self):
        followed, with_lead, with_order = self.partners[:3]
        with freeze_time(START + timedelta(days=20)):
            followed.message_post(body="Visited", message_type="comment")
            lead = self.env["crm.lead"].create({"name": "Deal", "partner_id": with_lead.id, "user_id": self.seller.id})
            lead.message_post(body="Called", message_type="comment")
            self.env["sale.order"].create({"partner_id": with_order.id, "user_id": self.seller.id})
        self.assertEqual(self.recover(29), 0, "nobody is 30 days without follow-up yet")
        self.assertEqual(self.recover(31), 1)
        stale = self.partners[3]
        self.assertEqual((stale.pool_id, stale.user_id), (self.pool, self.env["res.users"]))
        self.assertIn("Returned to the customer pool East pool", stale.message_ids[0].body)
        self.assertFalse(self.other_team_partner.pool_id, "outside the pool's teams")
        move = self.env["crm_plus.pool.move"].search([("partner_id", "=", stale.id), ("kind", "=", "recover")])
        self.assertEqual((move.kind, move.user_id), ("recover", self.seller))
        self.assertEqual(self.recover(31), 0, "a rerun moves nobody twice")
        self.assertEqual(self.recover(51), 3, "20 days after the last follow-up, 30 more days pass")

    def test_claim_with_daily_limit(self):
        self.recover(31)
        self.assertEqual(self.pool.partner_count, 4)
        Partner = self.env["res.partner"].with_user(self.user_sales)
        with freeze_time(START + timedelta(days=32)):
            Partner.browse(self.partners[0].id).action_crm_plus_claim()
            self.assertEqual(self.partners[0].user_id, self.user_sales)
            self.assertFalse(self.partners[0].pool_id)
            self.assertIn("Claimed from the customer pool", self.partners[0].message_ids[0].body)
            with self.assertRaisesRegex(UserError, "1 left today, 2 selected"):
                Partner.browse(self.partners[1:3].ids).action_crm_plus_claim()
            Partner.browse(self.partners[1].id).action_crm_plus_claim()
            with self.assertRaisesRegex(UserError, "0 left today"):
                Partner.browse(self.partners[2].id).action_crm_plus_claim()
            with self.assertRaises(UserError):
                Partner.browse(self.partners[0].id).action_crm_plus_claim()  # no longer in the pool
        with freeze_time(START + timedelta(days=33)):
            Partner.browse(self.partners[2].id).action_crm_plus_claim()
        self.assertEqual(self.partners[2].user_id, self.user_sales)
        # a claim counts as a follow-up: the customer does not go straight back
        self.assertEqual(self.recover(40), 0)

    def test_claim_access(self):
        self.recover(31)
        outsider = new_test_user(self.env, login="cp_pool_outsider", groups="crm_plus.group_crm_plus_user")
        with self.assertRaisesRegex(AccessError, "not a member"):
            self.partners[0].with_user(outsider).action_crm_plus_claim()
        with self.assertRaises(AccessError):
            self.partners[0].with_user(self.user_employee).action_crm_plus_claim()
        self.partners[0].with_user(self.user_manager).action_crm_plus_claim()
        self.assertEqual(self.partners[0].user_id, self.user_manager)
        with self.assertRaises(AccessError):
            self.env["crm_plus.pool"].with_user(self.user_sales).create({"name": "Mine"})

    def test_day_start_utc(self):
        # 01:00 UTC is 09:00 in Shanghai: the day started at 16:00 UTC the day before
        self.assertEqual(day_start_utc(datetime(2026, 3, 2, 1, 0), "Asia/Shanghai"), datetime(2026, 3, 1, 16, 0))
        self.assertEqual(day_start_utc(datetime(2026, 3, 2, 1, 0), False), datetime(2026, 3, 2, 0, 0))
