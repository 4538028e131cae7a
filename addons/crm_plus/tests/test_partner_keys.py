from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import CrmPlusCase


@tagged("post_install", "-at_install")
class TestPartnerKeys(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cn = cls.env.ref("base.cn")
        cls.Partner = cls.env["res.partner"].with_context(tracking_disable=True)

    def test_phone_keys(self):
        p = self.Partner.create({"name": "王芳", "country_id": self.cn.id,
                                 "phone": "021-6288 1234 转 808", "mobile": "+86 138-0013-8000"})
        self.assertEqual(p.phone_e164, "+862162881234")
        self.assertEqual(p.phone_extension, "808")
        self.assertEqual(p.mobile_e164, "+8613800138000")
        self.assertFalse(p.phone_key_invalid)
        p.mobile = "０086 １３８００１３８０００"  # full-width digits
        self.assertEqual(p.mobile_e164, "+8613800138000")
        p.phone = "6288"
        self.assertFalse(p.phone_e164)
        self.assertTrue(p.phone_key_invalid)

    def test_email_keys_split(self):
        p = self.Partner.create({"name": "A", "email": " Zhang.Wei@Example.CN ; zw@example.cn"})
        self.assertEqual(p.email_keys, "zhang.wei@example.cn,zw@example.cn")

    def test_company_name_keys(self):
        names = ["上海华信电子科技有限公司", "华信电子科技（上海）有限公司", "上海市华信电子科技有限公司",
                 " 上海 華信電子科技有限公司 "]
        partners = self.Partner.create([{"name": n, "is_company": True} for n in names])
        self.assertEqual(set(partners.mapped("company_name_core")), {"华信电子科技"})
        self.assertEqual(partners[0].company_legal_form, "有限公司")
        self.assertEqual(partners[0].company_name_region, "上海")
        intl = self.Partner.create([{"name": n, "is_company": True} for n in (
            "Northwind Trading Ltd.", "NORTHWIND TRADING LIMITED", "The Northwind Trading Co., Ltd.")])
        self.assertEqual(set(intl.mapped("company_name_core")), {"northwind trading"})

    def test_person_title_and_pinyin(self):
        p = self.Partner.create({"name": "张总"})
        self.assertEqual((p.person_surname, p.person_title), ("张", "总"))
        zw = self.Partner.create({"name": "张伟"})
        self.assertEqual((zw.name_pinyin, zw.name_initials), ("zhangwei", "zw"))
        for term in ("zhangwei", "zw", "张伟"):
            found = self.Partner.name_search(term, limit=50)
            self.assertIn(zw.id, [r[0] for r in found], term)
        self.assertIn(zw, self.Partner.search([("name_pinyin", "ilike", "zhangw")]))

    def test_uscc(self):
        p = self.Partner.create({"name": "北京测试有限公司", "is_company": True, "uscc": "9111 0000 6000 3734 1l"})
        self.assertEqual(p.uscc, "91110000600037341L")
        self.assertTrue(p.uscc_region)
        self.assertTrue(p.uscc_entity_type)
        with self.assertRaisesRegex(ValidationError, "check character"):
            self.Partner.create({"name": "Bad", "is_company": True, "uscc": "91110000600037341X"})
        with self.assertRaisesRegex(ValidationError, "18 characters"):
            self.Partner.create({"name": "Short", "is_company": True, "uscc": "9111000060003"})

    def test_uscc_unique_among_active(self):
        code = "91110000600037341L"
        first = self.Partner.create({"name": "北京甲有限公司", "is_company": True, "uscc": code})
        with self.assertRaisesRegex(ValidationError, "already used"):
            self.Partner.create({"name": "北京乙有限公司", "is_company": True, "uscc": code})
        first.active = False
        second = self.Partner.create({"name": "北京乙有限公司", "is_company": True, "uscc": code})
        self.assertTrue(second.active)

    def test_keys_follow_changes(self):
        p = self.Partner.create({"name": "Key Co", "is_company": True, "phone": "+86 21 6288 0001"})
        Key = self.env["crm_plus.partner.key"]
        self.assertEqual(Key.search([("partner_id", "=", p.id)]).mapped("kind"), ["name", "phone"])
        p.write({"phone": False, "email": "key@co.example"})
        self.assertEqual(sorted(Key.search([("partner_id", "=", p.id)]).mapped("kind")), ["email", "name"])
        p.active = False
        self.assertFalse(Key.search([("partner_id", "=", p.id)]))

    def test_refresh_keys_cron_is_resumable_and_idempotent(self):
        p = self.Partner.create({"name": "Refresh Trading Ltd", "is_company": True, "phone": "+86 21 6000 1234"})
        self.env.cr.execute("UPDATE res_partner SET phone_e164 = NULL, company_name_core = NULL WHERE id = %s",
                            [p.id])
        p.invalidate_recordset()
        Params = self.env["ir.config_parameter"]
        Params.set_param("crm_plus.keys_version", 0)  # a new normalisation version
        done = self.Partner._cron_refresh_keys(batch_size=50)
        self.assertGreater(done, 0)
        p.invalidate_recordset()
        self.assertEqual(p.phone_e164, "+862160001234")
        self.assertEqual(p.company_name_core, "refresh trading")
        self.assertEqual(self.Partner._cron_refresh_keys(), 0, "a rerun changes nothing")

    def test_form_shows_duplicates_before_save(self):
        self.Partner.create({"name": "深圳星河贸易有限公司", "is_company": True, "city": "深圳",
                             "phone": "0755-8888 6666"})
        with Form(self.Partner.with_user(self.user_sales)) as form:
            form.company_type = "company"
            form.name = "星河贸易（深圳）有限公司"
            form.city = "深圳"
            self.assertTrue(form.duplicate_partner_ids)
            self.assertIn("深圳星河贸易有限公司", form.duplicate_summary)
            form.phone = "+86 755 8888 6666"
            self.assertIn("same phone", form.duplicate_summary)

    def test_block_same_uscc_on_rpc_create(self):
        code = "91110000600037341L"
        self.Partner.create({"name": "北京丙有限公司", "is_company": True, "uscc": code})
        with self.assertRaises(ValidationError):
            self.Partner.with_user(self.user_sales).create({"name": "丙公司", "is_company": True, "uscc": code})

    def test_block_mode_per_key(self):
        self.env["ir.config_parameter"].set_param("crm_plus.dup_mode_phone", "block")
        self.Partner.create({"name": "甲", "mobile": "13800138001"})
        with self.assertRaisesRegex(ValidationError, "duplicate"):
            self.Partner.create({"name": "乙", "mobile": "+86 138 0013 8001"})
        self.env["ir.config_parameter"].set_param("crm_plus.dup_mode_phone", "warn")
        self.assertTrue(self.Partner.create({"name": "乙", "mobile": "+86 138 0013 8001"}))

    def test_company_and_its_contact_are_not_duplicates(self):
        company = self.Partner.create({"name": "杭州天成环保有限公司", "is_company": True, "phone": "0571-8123 9876"})
        contact = self.Partner.create({"name": "李经理", "parent_id": company.id, "phone": "0571-8123 9876"})
        self.assertFalse(contact.duplicate_partner_ids)
        self.assertFalse(company.duplicate_partner_ids)

    def test_skip_context_ignored_for_plain_users(self):
        code = "91110000600037341L"
        self.Partner.create({"name": "北京丁有限公司", "is_company": True, "uscc": code})
        with self.assertRaises(ValidationError):
            self.Partner.with_user(self.user_sales).with_context(crm_plus_skip_duplicate_check=True).create(
                {"name": "丁", "is_company": True, "uscc": code})


@tagged("post_install", "-at_install")
class TestLeadConversion(CrmPlusCase):
    def test_lead_finds_and_converts_to_existing_customer(self):
        existing = self.env["res.partner"].create({"name": "广州远航物流有限公司", "is_company": True,
                                                   "mobile": "13900139000"})
        lead = self.env["crm.lead"].create({"name": "询价", "partner_name": "远航物流（广州）有限公司",
                                            "mobile": "+86 139 0013 9000"})
        self.assertEqual(lead.crm_plus_existing_partner_id, existing)
        self.assertEqual(lead._find_matching_partner(), existing)
        wizard = self.env["crm.lead2opportunity.partner"].with_context(
            active_model="crm.lead", active_id=lead.id, active_ids=lead.ids).create({})
        self.assertEqual(wizard.partner_id, existing)
        wizard.action_apply()
        self.assertEqual(lead.partner_id, existing)
        self.assertEqual(self.env["res.partner"].search_count([("company_name_core", "=", "远航物流")]), 1)
