from odoo import api, fields, models
from odoo.tools import SQL

# precommit data: ids of the partners whose key rows are to be rewritten
PENDING_KEY = "crm_plus.partner.key.pending"
KEY_KINDS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("uscc", "USCC"),
    ("vat", "Tax ID"),
    ("name", "Company Name"),
]


class CrmPlusPartnerKey(models.Model):
    """One normalised identity key of an active partner: (kind, value) -> partner.

    A partner has several keys (every phone and mobile in E.164, every e-mail, its USCC,
    its canonical company name). Keeping them in one narrow table with one composite
    index makes the duplicate check a single indexed lookup and the dedup scan a single
    GROUP BY, whatever the number of phones or e-mails per partner.
    Rows are maintained by ``res.partner._crm_plus_sync_keys`` in SQL; never edited by hand. A create or
    write of partners queues their rows (``_queue_sync``): they are written in one statement for the whole
    transaction, before anything reads the table (``_lookup``, ``_search``, the dedup scan) or at commit,
    so that Odoo's own flows creating partners one by one (lead conversion, imports of other modules) pay
    one statement, not one per partner.
    """

    _name = "crm_plus.partner.key"
    _description = "Partner Identity Key"
    _log_access = False
    _order = "kind, value"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True, readonly=True)
    kind = fields.Selection(KEY_KINDS, required=True, readonly=True)
    value = fields.Char(required=True, readonly=True)

    def init(self):
        self.env.cr.execute(SQL(
            "CREATE INDEX IF NOT EXISTS crm_plus_partner_key_kind_value_idx ON %s (kind, value)",
            SQL.identifier(self._table),
        ))

    @api.model
    def _search(self, domain, *args, **kwargs):
        self._sync_pending()
        return super()._search(domain, *args, **kwargs)

    @api.model
    def _queue_sync(self, partner_ids):
        """Rewrite the rows of these partners before the table is next read, or at commit."""
        data = self.env.cr.precommit.data
        pending = data.setdefault(PENDING_KEY, set())
        if not data.get(PENDING_KEY + ".hooked"):
            data[PENDING_KEY + ".hooked"] = True
            self.env.cr.precommit.add(self._sync_pending)
        pending.update(pid for pid in partner_ids if pid)

    @api.model
    def _sync_pending(self):
        """Write the queued rows now (one statement); called before every read of the table."""
        pending = self.env.cr.precommit.data.get(PENDING_KEY)
        if not pending:
            return
        ids = sorted(pending)
        pending.clear()
        # the keys of partners the current user may not read are kept too: rows are written as the system
        self.env["res.partner"].sudo().with_context(active_test=False).browse(ids).exists()._crm_plus_sync_keys()

    @api.model
    def _lookup(self, pairs, exclude_partner_ids=()):
        """Partners holding any of the (kind, value) pairs: {(kind, value): [partner ids]}."""
        pairs = list(dict.fromkeys((k, v) for k, v in pairs if v))
        if not pairs:
            return {}
        self._sync_pending()
        self.env.flush_all()
        # the pairs as a relation joined on the (kind, value) index: a long row-value IN list would be
        # checked item by item against every row the planner reads
        self.env.cr.execute(SQL(
            """SELECT k.kind, k.value, array_agg(k.partner_id ORDER BY k.partner_id)
                 FROM %(table)s k
                 JOIN unnest(%(kinds)s::varchar[], %(values)s::varchar[]) AS wanted(kind, value)
                   ON k.kind = wanted.kind AND k.value = wanted.value
                WHERE NOT k.partner_id = ANY(%(exclude)s)
             GROUP BY k.kind, k.value""",
            table=SQL.identifier(self._table),
            kinds=[kind for kind, _value in pairs],
            values=[value for _kind, value in pairs],
            exclude=list(exclude_partner_ids),
        ))
        return {(kind, value): ids for kind, value, ids in self.env.cr.fetchall()}
