import logging

import psycopg2
from markupsafe import Markup

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, mute_logger

_logger = logging.getLogger(__name__)

# tables whose partner references stay where they are on merge: the key index is rebuilt, the review
# history and dismissed pairs keep naming the merged partners
KEEP_TABLES = {"crm_plus_partner_key", "crm_plus_duplicate_group_partner_rel", "crm_plus_duplicate_dismissal"}
# identity values the master takes from a merged partner when it has none itself
FILL_FIELDS = ["phone", "mobile", "email", "website", "uscc", "vat", "ref", "street", "street2", "zip", "city",
               "state_id", "country_id", "function", "customer_level_id", "user_id", "team_id", "industry_id"]


class CrmPlusPartnerMerge(models.AbstractModel):
    """Merge any number of partners into one master, set-based, without dropping anything.

    Every foreign key and every (res_model, res_id) / reference pointing to a merged partner is
    moved to the master with one UPDATE per column. A row that cannot move because the master
    already has the same row (a tag, a follower...) stays on the merged partner, which is archived
    with ``merged_into_id`` set, never deleted. The master's chatter lists what was merged and moved.
    """

    _name = "crm_plus.partner.merge"
    _description = "Partner Merge"

    @api.model
    def _merge(self, master, sources, reason=None):
        sources = (sources - master).exists()
        if not sources:
            return {}
        self._check_mergeable(master, sources)
        self.env.flush_all()
        moved, kept = {}, {}
        for table, column in self._partner_foreign_keys():
            self._move_column(table, column, master.id, sources.ids, moved, kept)
        for table, model_col, id_col in self._reference_columns():
            self._move_reference(table, model_col, id_col, master.id, sources.ids, moved, kept)
        self.env.invalidate_all()
        # contacts that moved under the master follow its commercial entity
        Partner = self.env["res.partner"]
        children = Partner.with_context(active_test=False).search([("parent_id", "=", master.id)])
        self.env.add_to_compute(Partner._fields["commercial_partner_id"], children)
        sources.with_context(crm_plus_skip_duplicate_check=True).write({
            "active": False, "merged_into_id": master.id,
        })
        filled = self._fill_master(master, sources)  # its write refreshes the master's keys when it fills one
        self._log(master, sources, moved, kept, filled, reason)
        _logger.info("crm_plus: merged partners %s into %s (%d references moved)",
                     sources.ids, master.id, sum(moved.values()))
        return {"moved": moved, "kept": kept, "filled": filled}

    # --- checks ---------------------------------------------------------------------------------

    @api.model
    def _check_mergeable(self, master, sources):
        everyone = master | sources
        if not master.active:
            raise UserError(_("The customer to keep, %(partner)s, is archived.", partner=master.display_name))
        for partner in everyone:
            parent = partner.parent_id
            while parent:
                if parent in everyone:
                    raise UserError(_("A company cannot be merged with one of its own contacts."))
                parent = parent.parent_id
        users = everyone.with_context(active_test=False).user_ids
        if len(users) > 1:
            raise UserError(_("These partners belong to several users (%(users)s): they cannot be merged.",
                              users=", ".join(users.mapped("login"))))
        if users and users.partner_id != master:
            raise UserError(_("Keep %(partner)s: it is the partner of the user %(user)s.",
                              partner=users.partner_id.display_name, user=users.login))

    # --- moving references ----------------------------------------------------------------------

    @api.model
    def _partner_foreign_keys(self):
        """(table, column) of every foreign key to res_partner, read from the catalogue by Odoo's own merge."""
        fks = self.env["base.partner.merge.automatic.wizard"]._get_fk_on("res_partner")
        return sorted((table, column) for table, column in fks if table not in KEEP_TABLES)

    @api.model
    def _reference_columns(self):
        """(table, model column, id column) of every stored many2one_reference field."""
        columns = set()
        for model in self.env.registry.values():
            if model._abstract or not model._auto or model._table in KEEP_TABLES:
                continue
            for field in model._fields.values():
                if field.type == "many2one_reference" and field.store and field.model_field:
                    model_field = model._fields.get(field.model_field)
                    if model_field and model_field.store and model._name != "ir.model.data":
                        columns.add((model._table, model_field.name, field.name))
        return sorted(columns)

    def _table_columns(self, table):
        self.env.cr.execute(SQL(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", table))
        return [r[0] for r in self.env.cr.fetchall()]

    def _move_column(self, table, column, master_id, source_ids, moved, kept):
        cr = self.env.cr
        tbl, col = SQL.identifier(table), SQL.identifier(column)
        others = [c for c in self._table_columns(table) if c != column]
        if len(others) == 1:
            # a many2many relation table: move each link unless the master already has it
            other = SQL.identifier(others[0])
            cr.execute(SQL(
                """UPDATE %(tbl)s t SET %(col)s = %(master)s
                    WHERE t.%(col)s = ANY(%(src)s)
                      AND NOT EXISTS (SELECT 1 FROM %(tbl)s m
                                       WHERE m.%(col)s = %(master)s AND m.%(other)s = t.%(other)s)
                      AND t.%(col)s = (SELECT min(s.%(col)s) FROM %(tbl)s s
                                        WHERE s.%(other)s = t.%(other)s AND s.%(col)s = ANY(%(src)s))""",
                tbl=tbl, col=col, other=other, master=master_id, src=source_ids))
            self._count(moved, table, column, cr.rowcount)
            cr.execute(SQL("SELECT count(*) FROM %s WHERE %s = ANY(%s)", tbl, col, source_ids))
            self._count(kept, table, column, cr.fetchone()[0])
            return
        try:
            with mute_logger("odoo.sql_db"), cr.savepoint():
                cr.execute(SQL("UPDATE %s SET %s = %s WHERE %s = ANY(%s)", tbl, col, master_id, col, source_ids))
                self._count(moved, table, column, cr.rowcount)
        except psycopg2.IntegrityError:
            self._move_rows_one_by_one(table, column, master_id, source_ids, moved, kept)

    def _move_reference(self, table, model_col, id_col, master_id, source_ids, moved, kept):
        cr = self.env.cr
        tbl, mcol, icol = SQL.identifier(table), SQL.identifier(model_col), SQL.identifier(id_col)
        try:
            with mute_logger("odoo.sql_db"), cr.savepoint():
                cr.execute(SQL("UPDATE %s SET %s = %s WHERE %s = 'res.partner' AND %s = ANY(%s)",
                               tbl, icol, master_id, mcol, icol, source_ids))
                self._count(moved, table, id_col, cr.rowcount)
        except psycopg2.IntegrityError:
            self._move_rows_one_by_one(table, id_col, master_id, source_ids, moved, kept,
                                       extra=SQL("%s = 'res.partner'", mcol))

    def _move_rows_one_by_one(self, table, column, master_id, source_ids, moved, kept, extra=None):
        """Slow path, only when a unique constraint refuses the set-based move: move what can move."""
        cr = self.env.cr
        tbl, col = SQL.identifier(table), SQL.identifier(column)
        cr.execute(SQL("SELECT id FROM %s WHERE %s = ANY(%s) AND %s ORDER BY id", tbl, col, source_ids,
                       extra or SQL("TRUE")))
        for (row_id,) in cr.fetchall():
            try:
                with mute_logger("odoo.sql_db"), cr.savepoint():
                    cr.execute(SQL("UPDATE %s SET %s = %s WHERE id = %s", tbl, col, master_id, row_id))
                self._count(moved, table, column, 1)
            except psycopg2.IntegrityError:
                self._count(kept, table, column, 1)

    @staticmethod
    def _count(counter, table, column, n):
        if n:
            key = "%s.%s" % (table, column)
            counter[key] = counter.get(key, 0) + n

    # --- values and log -------------------------------------------------------------------------

    @api.model
    def _fill_master(self, master, sources):
        vals = {}
        for fname in FILL_FIELDS:
            if fname not in master._fields or master[fname]:
                continue
            donor = next((s for s in sources if s[fname]), None)
            if donor:
                value = donor[fname]
                vals[fname] = value.id if isinstance(value, models.BaseModel) else value
        if vals:
            # the archived sources keep their values too: only active partners must have a unique USCC
            master.with_context(crm_plus_skip_duplicate_check=True).write(vals)
        return sorted(vals)

    @api.model
    def _usage_counts(self, partners):
        counts = {}
        for model in ("sale.order", "account.move", "crm.lead"):
            if model in self.env:
                for partner, n in self.env[model].sudo()._read_group(
                        [("partner_id", "in", partners.ids)], ["partner_id"], ["__count"]):
                    counts[partner.id] = counts.get(partner.id, 0) + n
        return counts

    def _log(self, master, sources, moved, kept, filled, reason):
        items = Markup("").join(Markup("<li>%s (#%s)</li>") % (s.display_name, s.id) for s in sources)
        body = Markup("<p>%s</p><ul>%s</ul>") % (_("Merged into this customer:"), items)
        if reason:
            body += Markup("<p>%s %s</p>") % (_("Reason:"), reason)
        if moved:
            rows = Markup("").join(Markup("<li>%s: %s</li>") % (k, v) for k, v in sorted(moved.items()))
            body += Markup("<p>%s</p><ul>%s</ul>") % (_("References moved to this customer:"), rows)
        if kept:
            rows = Markup("").join(Markup("<li>%s: %s</li>") % (k, v) for k, v in sorted(kept.items()))
            body += Markup("<p>%s</p><ul>%s</ul>") % (
                _("Already present on this customer, kept on the archived partners:"), rows)
        if filled:
            body += Markup("<p>%s %s</p>") % (_("Values taken from the merged partners:"), ", ".join(filled))
        master.message_post(body=body, subtype_xmlid="mail.mt_note")
        for source in sources:
            source.message_post(
                body=_("Merged into %(master)s (#%(id)s); this record is archived.",
                       master=master.display_name, id=master.id),
                subtype_xmlid="mail.mt_note")
