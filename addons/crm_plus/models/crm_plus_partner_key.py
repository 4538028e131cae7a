from odoo import api, fields, models
from odoo.tools import SQL

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
    Rows are maintained by ``res.partner._crm_plus_sync_keys`` in SQL; never edited by hand.
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
    def _lookup(self, pairs, exclude_partner_ids=()):
        """Partners holding any of the (kind, value) pairs: {(kind, value): [partner ids]}."""
        pairs = [(k, v) for k, v in pairs if v]
        if not pairs:
            return {}
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """SELECT k.kind, k.value, array_agg(k.partner_id ORDER BY k.partner_id)
                 FROM %(table)s k
                WHERE (k.kind, k.value) IN %(pairs)s
                  AND NOT k.partner_id = ANY(%(exclude)s)
             GROUP BY k.kind, k.value""",
            table=SQL.identifier(self._table),
            pairs=tuple(pairs),
            exclude=list(exclude_partner_ids),
        ))
        return {(kind, value): ids for kind, value, ids in self.env.cr.fetchall()}
