"""The two paths that write below the ORM give what the ORM would, at a cost independent of the batch size."""

from markupsafe import Markup

from odoo import fields
from odoo.tests import tagged

from .common import CrmPlusCase

# mail.message columns that differ between two messages by nature
OWN_COLUMNS = {"id", "res_id", "body", "message_id", "date", "create_date", "write_date"}


@tagged("post_install", "-at_install", "crm_plus_sql_paths")
class TestSqlPaths(CrmPlusCase):
    def _leads(self, count, tag):
        return self.env["crm.lead"].with_context(crm_plus_no_routing=True).create([
            {"name": "%s %d" % (tag, i), "user_id": False} for i in range(count)])

    def _stored_columns(self, model):
        return [name for name, field in self.env[model]._fields.items()
                if field.store and field.column_type and name not in OWN_COLUMNS]

    def _note_rows(self, leads):
        self.env.flush_all()
        columns = self._stored_columns("mail.message")
        messages = self.env["mail.message"].search(
            [("model", "=", "crm.lead"), ("res_id", "in", leads.ids)], order="res_id, id")
        return [{name: message[name] for name in columns} | {"body": str(message.body)} for message in messages]

    def test_note_copies_equal_the_orm_batch_log(self):
        """Routing's note copy (INSERT ... SELECT from the first note) stores what _message_log_batch stores."""
        for count in (2, 7):
            with self.subTest(count=count):
                copied, logged = self._leads(count, "Copied"), self._leads(count, "Logged")
                before = {lead.id: len(lead.message_ids) for lead in copied}
                copied.sudo()._crm_plus_log_notes(
                    {lead.id: Markup("<p>Routed %s</p>") % i for i, lead in enumerate(copied)})
                logged.sudo()._message_log_batch(
                    bodies={lead.id: Markup("<p>Routed %s</p>") % i for i, lead in enumerate(logged)})
                sql_rows, orm_rows = self._note_rows(copied), self._note_rows(logged)
                self.assertEqual(len(sql_rows), len(orm_rows))
                for sql_row, orm_row in zip(sql_rows, orm_rows, strict=True):
                    self.assertEqual(sql_row, orm_row)
                # the documents see their new note through the ORM (cache invalidated, dependents marked)
                for lead in copied:
                    self.assertEqual(len(lead.message_ids), before[lead.id] + 1)

    def test_note_copies_cost_the_same_for_any_batch(self):
        warm, small, large = self._leads(2, "Warm"), self._leads(3, "Small"), self._leads(30, "Large")
        warm.sudo()._crm_plus_log_notes({lead.id: Markup("<p>Warm-up</p>") for lead in warm})
        self.env.flush_all()
        for leads in (small, large):
            bodies = {lead.id: Markup("<p>Routed %s</p>") % lead.id for lead in leads}
            # the first note through the ORM (one INSERT), the others in one INSERT ... SELECT
            with self.assertQueryCount(2):
                leads.sudo()._crm_plus_log_notes(bodies)
                self.env.flush_all()

    def _partners(self, count, tag):
        return self.env["res.partner"].create([
            {"name": "%s 测试客户 %d 有限公司" % (tag, i), "is_company": True} for i in range(count)])

    def test_lifecycle_store_equals_the_orm_write(self):
        """The lifecycle scan's one UPDATE gives the values, caches and write stamps of a write()."""
        stored, written = self._partners(3, "Stored"), self._partners(3, "Written")
        when = fields.Datetime.to_datetime("2026-05-04 08:30:00")
        values = [
            {"last_interaction_date": when, "lifecycle_state": "churn_risk", "is_high_value": True},
            {"last_interaction_date": False, "lifecycle_state": "dormant", "is_high_value": False},
            {"last_interaction_date": when, "lifecycle_state": "active", "is_high_value": True},
        ]
        fnames = list(values[0])
        stored.mapped("lifecycle_state")  # old values in cache, as in the scan
        self.env["res.partner"]._crm_plus_store_lifecycle(dict(zip(stored.ids, values, strict=True)))
        for partner, vals in zip(written, values, strict=True):
            partner.write(vals)
        for one, other in zip(stored, written, strict=True):
            self.assertEqual([one[f] for f in fnames], [other[f] for f in fnames], "the cache holds the new values")
        self.env.invalidate_all()
        for one, other in zip(stored, written, strict=True):
            self.assertEqual([one[f] for f in [*fnames, "write_uid"]], [other[f] for f in [*fnames, "write_uid"]])
        # searches see them (the stored columns, not only the cache)
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.search([("id", "in", stored.ids), ("lifecycle_state", "=", "churn_risk")]),
                         stored[0])
        self.assertEqual(Partner.search([("id", "in", stored.ids), ("is_high_value", "=", True)]),
                         stored[0] | stored[2])

    def test_lifecycle_store_costs_the_same_for_any_batch(self):
        for count in (3, 30):
            partners = self._partners(count, "Cost %d" % count)
            # one UPDATE for the batch; the flush before it has nothing to write
            self.env.flush_all()
            changes = {pid: {"last_interaction_date": False, "lifecycle_state": "dormant", "is_high_value": False}
                       for pid in partners.ids}
            with self.assertQueryCount(1):
                self.env["res.partner"]._crm_plus_store_lifecycle(changes)
                self.env.flush_all()
