"""A create or write of many partners checks duplicates in one look-up for the whole batch."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CrmPlusCase


@tagged("post_install", "-at_install")
class TestDuplicateBatch(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"].with_context(tracking_disable=True)
        cls.existing = cls.Partner.create({"name": "Batch Existing Ltd", "is_company": True, "vat": "CN 0001"})

    def _vals(self, count, tag):
        return [{"name": "%s Batch Partner %d Ltd" % (tag, i), "is_company": True, "vat": "%s%04d" % (tag, i)}
                for i in range(count)]

    def test_blocking_check_finds_the_duplicate_inside_a_batch(self):
        with self.assertRaisesRegex(ValidationError, "same tax ID"):
            self.Partner.create([*self._vals(5, "A"), {"name": "Another Name Ltd", "is_company": True,
                                                      "vat": "cn0001"}])

    def test_lookups_do_not_grow_with_the_batch(self):
        """What crm_plus adds to a create of many partners: one key sync, one duplicate look-up."""
        Partner = self.Partner.with_context(crm_plus_skip_duplicate_check=True)
        warm = Partner.create(self._vals(2, "W"))
        warm.with_context(crm_plus_skip_duplicate_check=False)._crm_plus_enforce_duplicates()  # settings cached
        for count, tag in ((5, "S"), (50, "L")):
            partners = Partner.create(self._vals(count, tag))
            partners.invalidate_recordset(["commercial_partner_id"])
            self.env.flush_all()
            # the key rows written, the keys looked up (candidates are in cache): whatever the batch size
            with self.assertQueryCount(2):
                partners._crm_plus_sync_keys()
                partners.with_context(crm_plus_skip_duplicate_check=False)._crm_plus_enforce_duplicates()

    def test_batch_results_equal_one_by_one(self):
        others = self.Partner.create([
            {"name": "上海批量对照科技有限公司", "is_company": True, "phone": "+86 21 6288 7001"},
            {"name": "Person Batch", "mobile": "+86 139 0000 7002", "email": "batch@example.cn"},
        ])
        probes = self.Partner.create([
            {"name": "上海批量对照科技有限公司", "is_company": True, "city": "上海"},
            {"name": "Somebody", "mobile": "13900007002", "email": "BATCH@example.cn"},
            {"name": "Nobody Like Them Ltd", "is_company": True},
        ])
        batch = probes._crm_plus_find_duplicates_batch()
        for probe in probes:
            self.assertEqual(batch[probe], probe._crm_plus_find_duplicates())
        self.assertEqual([other.id for other, _s, _r in batch[probes[0]]], others[:1].ids)
        self.assertEqual([other.id for other, _s, _r in batch[probes[1]]], others[1:].ids)
        self.assertFalse(batch[probes[2]])
