"""Leads and opportunities found by pinyin and initials, from the search bar and from many2one fields."""

from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import CrmPlusCase


@tagged("post_install", "-at_install")
class TestLeadSearch(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"].with_context(crm_plus_no_routing=True)
        cls.lead = Lead.create({"name": "询价：服务器", "contact_name": "张伟", "partner_name": "华信电子有限公司",
                                "type": "lead", "user_id": False})
        cls.opportunity = Lead.create({"name": "年度框架协议", "partner_name": "嘉禾物流", "type": "opportunity",
                                       "user_id": False})
        cls.other = Lead.create({"name": "Unrelated", "contact_name": "Li Na", "type": "lead", "user_id": False})

    def _search_bar(self, view_xmlid, text):
        """What typing ``text`` in the search bar's default field finds, through the view's own domain."""
        view = self.env.ref(view_xmlid)
        arch = etree.fromstring(self.env["crm.lead"].get_views([(view.id, "search")])["views"]["search"]["arch"])
        domain = safe_eval(arch.xpath("//field[@name='name']")[0].get("filter_domain"), {"self": text})
        return self.env["crm.lead"].search(domain)

    def test_pinyin_and_initials_in_the_search_bar(self):
        for text, view, expected in (
            ("zhangwei", "crm.view_crm_case_leads_filter", self.lead),
            ("zw", "crm.view_crm_case_leads_filter", self.lead),
            ("hxdz", "crm.view_crm_case_leads_filter", self.lead),
            ("xunjia", "crm.view_crm_case_leads_filter", self.lead),
            ("jhwl", "crm.view_crm_case_opportunities_filter", self.opportunity),
            ("nian", "crm.view_crm_case_opportunities_filter", self.opportunity),
        ):
            with self.subTest(text=text):
                found = self._search_bar(view, text)
                self.assertIn(expected, found)
                self.assertNotIn(self.other, found)

    def test_initials_match_word_starts_only(self):
        Lead = self.env["crm.lead"]
        self.assertIn(self.lead, Lead.search([("crm_plus_initials", "ilike", " " + "hx")]))
        self.assertNotIn(self.lead, Lead.search([("crm_plus_initials", "ilike", " " + "xd")]),
                         "'xd' is inside hxdzyxgs, not its start")

    def test_name_search(self):
        self.assertIn(self.lead.id, [lead_id for lead_id, _name in self.env["crm.lead"].name_search("zhangwei")])
        self.assertIn(self.opportunity.id, [lead_id for lead_id, _name in self.env["crm.lead"].name_search("jhwl")])

    def test_keys_follow_the_names(self):
        self.lead.contact_name = "李娜"
        self.assertIn(" lina", self.lead.crm_plus_pinyin)
        self.assertTrue(self.lead.crm_plus_initials.startswith(" ln"))
