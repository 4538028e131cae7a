from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import CrmPlusCase


@tagged("post_install", "-at_install")
class TestCustomerLevel(CrmPlusCase):
    def test_partner_count_and_action(self):
        other = self.env["res.partner"].create({"name": "Beta Co", "is_company": True,
                                                "customer_level_id": self.level_a.id})
        levels = self.level_a | self.level_c
        before = self.level_c.partner_count
        self.assertGreaterEqual(self.level_a.partner_count, 2)
        other.customer_level_id = self.level_c
        levels.invalidate_recordset(["partner_count"])
        self.assertEqual(self.level_c.partner_count, before + 1)
        action = self.level_c.action_open_partners()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertIn(other, self.env["res.partner"].search(action["domain"]))

    def test_code_is_unique(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["crm_plus.customer.level"].create({"name": "Dup", "code": self.level_a.code})

    def test_level_on_partner_form(self):
        with Form(self.env["res.partner"].with_user(self.user_sales)) as form:
            form.name = "深圳新客户有限公司"
            form.customer_level_id = self.level_c
        self.assertEqual(form.record.customer_level_id, self.level_c)

    def test_level_name_translated(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "crm_plus")])._update_translations(["zh_CN"])
        self.assertEqual(self.level_a.with_context(lang="zh_CN").name, "战略客户")
        menu = self.env.ref("crm_plus.menu_crm_plus_root")
        self.assertEqual(menu.with_context(lang="zh_CN").name, "客户关系管理增强")

    def test_settings_form(self):
        """The CRM Plus block in General Settings opens and saves."""
        with Form(self.env["res.config.settings"]) as settings:
            self.assertTrue(settings.module_crm_plus_service)

    def test_settings_are_read_typed_with_the_form_defaults(self):
        Settings, Params = self.env["res.config.settings"], self.env["ir.config_parameter"]
        for key in ("crm_plus.churn_days", "crm_plus.contract_amount_limit", "crm_plus.routing_fallback_team_id"):
            Params.set_param(key, False)  # never saved
        self.assertEqual(Settings._crm_plus_param("churn_days"), 30)
        self.assertEqual(Settings._crm_plus_param("contract_amount_limit"), 100000.0)
        self.assertFalse(Settings._crm_plus_param("routing_fallback_team_id"))
        with Form(Settings) as form:
            form.crm_plus_contract_amount_limit = 0.0
            form.crm_plus_churn_days = 45
        form.record.set_values()  # what the settings screen's Save does
        self.assertEqual(Settings._crm_plus_param("contract_amount_limit"), 0.0, "0 disables, it is kept")
        self.assertEqual(Settings._crm_plus_param("churn_days"), 45)
        team = self.env["crm.team"].create({"name": "Fallback"})
        Params.set_param("crm_plus.routing_fallback_team_id", team.id)
        self.assertEqual(Settings._crm_plus_param("routing_fallback_team_id"), team)
        self.assertEqual(Settings._crm_plus_duplicate_modes()["uscc"], "block")

