"""Phones matched whatever the company's country: every plausible reading is a key, unverified ones too."""

from odoo.tests import BaseCase, tagged

from odoo.addons.crm_plus.tools import phone

from .common import CrmPlusCase


@tagged("post_install", "-at_install", "crm_plus_tools")
class TestPhoneReadings(BaseCase):
    def readings(self, raw, countries, texts=()):
        regions = phone.reading_order(countries, texts=texts, numbers=[raw])
        return [(key.e164, key.valid) for key in phone.phone_readings(raw, regions)]

    def test_chinese_mobile_shape_is_read_in_china_first(self):
        for raw in ("158-7599-1832", "１５８７５９９１８３２", "158 7599 1832"):
            with self.subTest(raw=raw):
                self.assertEqual(self.readings(raw, ("US",)), [("+8615875991832", True), ("+15875991832", True)])

    def test_written_country_code_gives_one_reading(self):
        self.assertEqual(self.readings("+86 158 7599 1832", ("US",)), [("+8615875991832", True)])
        self.assertEqual(self.readings("+1 415 555 2671", ("CN",)), [("+14155552671", True)])

    def test_ranges_the_metadata_does_not_list_are_unverified_keys(self):
        self.assertEqual(self.readings("+86 154 1292 3434", ("US",)), [("+8615412923434", False)])
        self.assertEqual(self.readings("149-1234-5678", ("CN",))[0], ("+8614912345678", False))
        self.assertEqual(self.readings("17912345678", ("CN",))[0], ("+8617912345678", False))

    def test_incomplete_numbers_and_garbage_get_no_key(self):
        for raw in ("62881234", "6288", "abc", "12"):
            with self.subTest(raw=raw):
                self.assertEqual(self.readings(raw, ("CN",)), [])

    def test_evidence_orders_the_regions(self):
        self.assertEqual(phone.reading_order(("US", "US")), ("US", "CN"))
        self.assertEqual(phone.reading_order(("US",), texts=("杭州",)), ("CN", "US"))
        self.assertEqual(phone.reading_order(("US",), numbers=("139 5770 4410",)), ("CN", "US"))
        self.assertEqual(phone.reading_order(("DE", "US")), ("DE", "US", "CN"))
        # a US number in a US company is shown as American, its Chinese reading is a key too
        self.assertEqual(self.readings("(415) 555-2671", ("US",))[0], ("+14155552671", True))


@tagged("post_install", "-at_install")
class TestPhoneKeysAnyCountry(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.us")
        cls.Partner = cls.env["res.partner"].with_context(tracking_disable=True)

    def test_us_company_matches_a_mobile_without_country_code(self):
        international = self.Partner.create({"name": "Zhang Wei", "mobile": "+86 158 7599 1832"})
        local = self.Partner.new({"name": "Zhang Wei", "mobile": "158-7599-1832"})
        self.assertEqual(local.mobile_e164, "+8615875991832", "shown as Chinese: the mobile's shape says so")
        self.assertIn("+8615875991832", local.phone_keys.split(","))
        self.assertIn(international, [other for other, _score, _why in local._crm_plus_find_duplicates()])

    def test_unlisted_range_still_matches_the_same_digits(self):
        first = self.Partner.create({"name": "李娜", "mobile": "+86 154 1292 3434"})
        self.assertTrue(first.phone_unverified)
        self.assertFalse(first.phone_key_invalid)
        self.assertIn(("phone", "+8615412923434"),
                      [(key.kind, key.value) for key in self.env["crm_plus.partner.key"].search(
                          [("partner_id", "=", first.id)])])
        second = self.Partner.new({"name": "李娜", "mobile": "154-1292-3434"})
        self.assertIn(first, [other for other, _score, _why in second._crm_plus_find_duplicates()])

    def test_lead_finds_the_customer_through_any_reading(self):
        customer = self.Partner.create({"name": "温州读法测试鞋业有限公司", "is_company": True,
                                        "mobile": "+86 139 5770 4410"})
        lead = self.env["crm.lead"].with_context(crm_plus_no_routing=True).create(
            {"name": "Enquiry", "mobile": "139-5770-4410", "user_id": False})
        self.assertEqual(lead.crm_plus_existing_partner_id, customer)

    def test_refresh_cron_rekeys_old_partners(self):
        partner = self.Partner.create({"name": "Old Keys", "mobile": "+86 154 1292 3435"})
        self.env.cr.execute("UPDATE res_partner SET phone_keys = NULL WHERE id = %s", [partner.id])
        self.env.cr.execute("DELETE FROM crm_plus_partner_key WHERE partner_id = %s", [partner.id])
        self.env["ir.config_parameter"].set_param("crm_plus.keys_version", 1)
        partner.invalidate_recordset()
        self.Partner._cron_refresh_keys(batch_size=500)
        self.assertEqual(partner.phone_keys, "+8615412923435")
        self.assertTrue(self.env["crm_plus.partner.key"].search_count([("partner_id", "=", partner.id)]))
