from odoo import api, fields, models

from ..tools import company_name, emails


class CrmLead(models.Model):
    _inherit = "crm.lead"

    crm_plus_existing_partner_id = fields.Many2one(
        "res.partner", string="Existing Customer", compute="_compute_crm_plus_existing_partner_id",
        help="A customer already in the base with this lead's phone, e-mail or company name.")

    @api.depends("partner_id", "email_from", "phone", "mobile", "partner_name")
    def _compute_crm_plus_existing_partner_id(self):
        for lead in self:
            lead.crm_plus_existing_partner_id = (
                lead._crm_plus_find_existing_partner() if not lead.partner_id else False)

    def _crm_plus_identity_keys(self):
        """(kind, value) keys of the lead, normalised like the partners' keys."""
        self.ensure_one()
        regions = tuple(dict.fromkeys(c for c in (self.country_id.code, self.env.company.country_id.code, "CN") if c))
        keys = []
        for raw in (self.phone, self.mobile):
            key = self.env["res.partner"]._crm_plus_normalize_phone(raw, regions)
            if key:
                keys.append(("phone", key.e164))
        keys += [("email", e) for e in emails.normalize_emails(self.email_from or "")]
        if self.partner_name:
            core = company_name.canonical_company_name(self.partner_name).core
            if core:
                keys.append(("name", core))
        return keys

    def _crm_plus_find_existing_partner(self):
        """The best existing partner for this lead by identity keys: phone and e-mail before name."""
        self.ensure_one()
        found = self.env["crm_plus.partner.key"]._lookup(self._crm_plus_identity_keys())
        for kind in ("phone", "email", "name"):
            ids = sorted({pid for (k, _v), pids in found.items() if k == kind for pid in pids})
            if ids:
                partner = self.env["res.partner"].browse(ids[0])
                return partner.commercial_partner_id if kind == "name" else partner
        return self.env["res.partner"]

    def _find_matching_partner(self, email_only=False):
        """Conversion links the lead to the customer that already has its phone, e-mail or company name."""
        partner = super()._find_matching_partner(email_only=email_only)
        if not partner:
            partner = self._crm_plus_find_existing_partner()
        return partner
