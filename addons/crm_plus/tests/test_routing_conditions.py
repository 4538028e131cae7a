"""Routing on the customer's industry, the product line of the quotations, and Odoo's predicted probability."""

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import CrmPlusCase


@tagged("post_install", "-at_install", "crm_plus_routing")
class TestRoutingConditions(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm_plus.routing.rule"].search([]).action_archive()  # the demo rules route other leads
        cls.sellers = cls.env["res.users"].union(*(
            new_test_user(cls.env, login="cp_cond_seller_%d" % i, name="Cond Seller %d" % i,
                          groups="crm_plus.group_crm_plus_user", lang="en_US") for i in range(3)))
        cls.team = cls.env["crm.team"].create({"name": "Conditions team"})
        cls.env["crm.team.member"].create([{"crm_team_id": cls.team.id, "user_id": user.id} for user in cls.sellers])
        Rule = cls.env["crm_plus.routing.rule"]
        cls.machinery = cls.env["res.partner.industry"].create({"name": "机械制造"})
        cls.hardware = cls.env["product.category"].create({"name": "Hardware"})
        cls.servers = cls.env["product.category"].create({"name": "Servers", "parent_id": cls.hardware.id})
        cls.server = cls.env["product.product"].create({"name": "Rack server", "categ_id": cls.servers.id})
        cls.licence = cls.env["product.product"].create({"name": "Licence"})
        cls.rule_industry = Rule.create({"name": "Machinery", "team_id": cls.team.id, "sequence": 1,
                                         "user_ids": [Command.set(cls.sellers[0].ids)],
                                         "industry_ids": [Command.set(cls.machinery.ids)]})
        cls.rule_hardware = Rule.create({"name": "Hardware line", "team_id": cls.team.id, "sequence": 2,
                                         "user_ids": [Command.set(cls.sellers[1].ids)],
                                         "product_categ_ids": [Command.set(cls.hardware.ids)]})
        cls.rule_likely = Rule.create({"name": "Likely deals", "team_id": cls.team.id, "sequence": 3,
                                       "user_ids": [Command.set(cls.sellers[2].ids)], "min_probability": 60})

    def _lead(self, **vals):
        return self.env["crm.lead"].with_context(crm_plus_no_routing=True).create(
            dict({"name": "Routing condition lead", "type": "opportunity", "user_id": False}, **vals))

    def test_industry_of_the_customer(self):
        customer = self.env["res.partner"].create({"name": "无锡机械测试有限公司", "is_company": True,
                                                   "industry_id": self.machinery.id})
        contact = self.env["res.partner"].create({"name": "王工", "parent_id": customer.id})
        lead = self._lead(partner_id=contact.id, probability=10)
        lead._crm_plus_route()
        self.assertEqual(lead.user_id, self.sellers[0], "the contact's company is in the industry")

    def test_product_category_of_the_quotation_with_sub_categories(self):
        lead = self._lead(probability=10)
        self.env["sale.order"].create({"partner_id": self.customer.id, "opportunity_id": lead.id, "order_line": [
            Command.create({"product_id": self.server.id, "product_uom_qty": 2})]})
        other = self._lead(probability=10)
        self.env["sale.order"].create({"partner_id": self.customer.id, "opportunity_id": other.id, "order_line": [
            Command.create({"product_id": self.licence.id, "product_uom_qty": 1})]})
        (lead | other)._crm_plus_route()
        self.assertEqual(lead.user_id, self.sellers[1], "Servers is a sub-category of Hardware")
        self.assertNotEqual(other.user_id, self.sellers[1])

    def test_predicted_probability_end_to_end(self):
        """Odoo's predictive lead scoring learns from won and lost deals; the rule follows its prediction."""
        Lead = self.env["crm.lead"].with_context(crm_plus_no_routing=True)
        self.env["ir.config_parameter"].set_param("crm.pls_fields", "country_id")
        self.env["ir.config_parameter"].set_param("crm.pls_start_date", "2000-01-01")
        cn, us = self.env.ref("base.cn"), self.env.ref("base.us")
        history = Lead.create([{"name": "History %d" % i, "type": "opportunity", "team_id": self.team.id,
                                "country_id": (cn if i < 10 else us).id, "user_id": self.sellers[2].id}
                               for i in range(20)])
        history[:10].action_set_won()
        history[10:].action_set_lost()
        Lead._cron_update_automated_probabilities()
        likely = Lead.create({"name": "From China", "type": "opportunity", "team_id": self.team.id,
                              "country_id": cn.id, "user_id": False})
        unlikely = Lead.create({"name": "From the US", "type": "opportunity", "team_id": self.team.id,
                                "country_id": us.id, "user_id": False})
        self.assertGreater(likely.probability, 60)
        self.assertLess(unlikely.probability, 60)
        (likely | unlikely)._crm_plus_route()
        self.assertEqual(likely.user_id, self.sellers[2])
        self.assertNotEqual(unlikely.user_id, self.sellers[2])
