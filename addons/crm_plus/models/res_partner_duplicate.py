"""Duplicates of a customer: the likely duplicates shown on the form, the blocking check on save, merge links."""

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import identity, match, person_name
from .res_partner_identity import KEY_SOURCE_FIELDS

# minimum score to list another partner as a likely duplicate
DUPLICATE_MIN_SCORE = 0.6
# the kind of identity key behind each reason a save can be blocked for (see the settings)
REASON_KEY_KINDS = {"uscc": "uscc", "vat": "vat", "phone": "phone", "email": "email", "name_city": "name"}
# stored fields _crm_plus_match_vals reads through _crm_plus_keys
MATCH_KEY_FIELDS = ["phone_keys", "email_keys", "company_name_core"]


class ResPartner(models.Model):
    _inherit = "res.partner"

    duplicate_partner_ids = fields.Many2many("res.partner", string="Likely Duplicates",
                                             compute="_compute_duplicate_partner_ids")
    duplicate_summary = fields.Text(string="Duplicate Reasons", compute="_compute_duplicate_partner_ids")
    merged_into_id = fields.Many2one("res.partner", string="Merged Into", readonly=True, copy=False,
                                     index="btree_not_null", ondelete="set null")

    # ------------------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------------------

    @api.depends("phone_e164", "mobile_e164", "email_keys", "uscc", "vat", "company_name_core", "city", "parent_id")
    def _compute_duplicate_partner_ids(self):
        found = self._crm_plus_find_duplicates_batch()
        for partner in self:
            matches = found[partner]
            readable = self.browse([m[0].id for m in matches])._filtered_access("read")
            partner.duplicate_partner_ids = [Command.set(readable.ids)]
            partner.duplicate_summary = "\n".join(
                "%s (%s): %s" % (other.display_name, self._crm_plus_owner_label(other),
                                 ", ".join(self._crm_plus_reason_label(r) for r in reasons))
                for other, _score, reasons in matches
            ) or False

    # ------------------------------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)  # the keys are synced inside (res_partner_identity)
        partners._crm_plus_enforce_duplicates()
        return partners

    def write(self, vals):
        res = super().write(vals)
        if KEY_SOURCE_FIELDS.intersection(vals) and vals.get("active", True):
            self._crm_plus_enforce_duplicates()
        return res

    # ------------------------------------------------------------------------------------------------
    # business
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_find_duplicates(self, min_score=DUPLICATE_MIN_SCORE):
        """Likely duplicates of this partner: [(partner, score, [reasons])], best first."""
        self.ensure_one()
        return self._crm_plus_find_duplicates_batch(min_score=min_score)[self]

    def _crm_plus_find_duplicates_batch(self, kinds=None, min_score=DUPLICATE_MIN_SCORE):
        """{partner: [(other partner, score, [reasons])], best first} for every partner of ``self``.

        One indexed lookup on the key table for the whole batch (only the keys of ``kinds`` when given:
        a blocking check needs only the keys of its blocking reasons), one read of the candidates, then a
        score per pair. Members of the same commercial entity (a company and its contacts) are never
        duplicates of each other.
        """
        keys = {}
        for partner in self:
            own = partner._crm_plus_keys()
            if kinds is not None:
                own = [key for key in own if key[0] in kinds]
                if "vat" in kinds:  # a tax ID written where another partner has its USCC, and back
                    own += [("uscc", value) for kind, value in own if kind == "vat"]
                    own += [("vat", partner.uscc)] if partner.uscc else []
            keys[partner] = own
        wanted = {key for own in keys.values() for key in own}
        found = self.env["crm_plus.partner.key"]._lookup(wanted) if wanted else {}
        # another salesperson's customer is still a duplicate: score every candidate as the system;
        # callers expose only names and reasons (and the records the user may read)
        candidates = self.sudo().browse({pid for ids in found.values() for pid in ids})
        candidates.fetch(["commercial_partner_id", "uscc", "vat", "is_company", "name", "city", *MATCH_KEY_FIELDS])
        theirs = {other.id: other._crm_plus_match_vals() for other in candidates}
        results = {}
        for partner, own in keys.items():
            own_id = partner._origin.id if partner._origin else partner.id
            ids = {pid for key in own for pid in found.get(key, ()) if pid != own_id}
            results[partner] = []
            if not ids:
                continue
            commercial = partner.parent_id.commercial_partner_id if partner.parent_id else partner._origin
            mine = partner._crm_plus_match_vals()
            for other in candidates.browse(sorted(ids)):
                if commercial and other.commercial_partner_id == commercial.commercial_partner_id:
                    continue
                score, reasons = match.score_pair(mine, theirs[other.id])
                if score >= min_score:
                    results[partner].append((other, score, reasons))
            results[partner].sort(key=lambda r: (-r[1], r[0].id))
        return results

    def _crm_plus_match_vals(self):
        self.ensure_one()
        keys = self._crm_plus_keys()
        return {
            "phone_keys": {value for kind, value in keys if kind == "phone"},
            "email_keys": {value for kind, value in keys if kind == "email"},
            "uscc": self.uscc or None,
            "vat": identity.normalize_vat(self.vat),
            "company_core": self.company_name_core or None,
            "person_key": person_name.person_key(self.name) if self.name and not self.is_company else None,
            "city": (self.city or "").strip() or None,
            "is_company": self.is_company,
        }

    def _crm_plus_enforce_duplicates(self):
        """Block the save when a configured key is shared with another partner (setting per key)."""
        # the skip is honoured for those who own identity data only (stewards, the system)
        if self.env.context.get("crm_plus_skip_duplicate_check") and self._crm_plus_may_edit_identity():
            return
        modes = self.env["res.config.settings"]._crm_plus_duplicate_modes()
        blocking = {reason for reason, mode in modes.items() if mode == "block"}
        if not blocking:
            return
        kinds = {kind for reason, kind in REASON_KEY_KINDS.items() if reason in blocking}
        for partner, matches in self.filtered("active")._crm_plus_find_duplicates_batch(kinds).items():
            for other, _score, reasons in matches:
                hit = blocking.intersection(reasons)
                if hit:
                    raise ValidationError(_(
                        "%(partner)s looks like a duplicate of %(other)s (%(reasons)s). "
                        "Open the existing customer instead, or ask a data steward.",
                        partner=partner.display_name, other=other.display_name,
                        reasons=", ".join(sorted(self._crm_plus_reason_label(r) for r in hit)),
                    ))

    @api.model
    def _crm_plus_reason_label(self, reason):
        return {
            "uscc": _("same USCC"),
            "vat": _("same tax ID"),
            "phone": _("same phone"),
            "email": _("same email"),
            "name_city": _("same name in the same city"),
            "name": _("same name"),
            "similar_name": _("similar name in the same city"),
            "person": _("same person name"),
            "uscc_conflict": _("different USCC"),
            "type_mismatch": _("a company and a person"),
        }.get(reason, reason)

    @api.model
    def _crm_plus_owner_label(self, other):
        """Who owns ``other`` (a match found as the system), said without its contact details."""
        commercial = other.commercial_partner_id
        if commercial.pool_id:
            return _("customer pool %(pool)s", pool=commercial.pool_id.name)
        owner = other.user_id or commercial.user_id
        if owner:
            return _("salesperson %(user)s", user=owner.name)
        return _("no salesperson")
