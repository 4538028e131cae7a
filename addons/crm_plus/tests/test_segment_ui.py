from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


class SegmentTourMixin:
    def _setup_segment_tour(self):
        self.user = new_test_user(self.env, login="tour_segment", password="tour_segment",
                                  groups="crm_plus.group_crm_plus_user", name="Tour Segment Sales", lang="en_US")
        tag = self.env["res.partner.category"].create({"name": "巡游分群标签", "crm_plus_dimension": "interest"})
        Partner = self.env["res.partner"]
        self.tagged_customer = Partner.create({"name": "巡游分群客户甲", "is_company": True, "user_id": self.user.id,
                                               "category_id": [Command.set(tag.ids)]})
        Partner.create({"name": "巡游分群客户乙", "is_company": True, "user_id": self.user.id})
        self.env["crm_plus.segment"].create({"name": "巡游分群", "user_id": self.user.id,
                                             "domain": repr([("category_id", "in", tag.ids)])})

    def _assert_created(self):
        segment = self.env["crm_plus.segment"].search([("name", "=", "巡游新建分群")])
        self.assertEqual(segment.user_id, self.user)
        self.assertFalse(segment.shared)


@tagged("post_install", "-at_install")
class TestSegmentUiDesktop(SegmentTourMixin, HttpCase):
    def test_open_segment(self):
        self._setup_segment_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_segment", "crm_plus_segment_open", login="tour_segment")

    def test_create_segment(self):
        self._setup_segment_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_segment", "crm_plus_segment_create",
                        login="tour_segment")
        self._assert_created()


@tagged("post_install", "-at_install")
class TestSegmentUiMobile(SegmentTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_open_segment_on_phone(self):
        self._setup_segment_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_segment", "crm_plus_segment_open", login="tour_segment")

    def test_create_segment_on_phone(self):
        self._setup_segment_tour()
        self.start_tour("/odoo/action-crm_plus.action_crm_plus_segment", "crm_plus_segment_create",
                        login="tour_segment")
        self._assert_created()
