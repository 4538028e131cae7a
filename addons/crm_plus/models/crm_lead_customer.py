"""The existing customer of a lead, found through the partners' identity keys (and used by the conversion)."""

from odoo import api, fields, models

from ..tools import company_name, emails, identity, phone


class CrmLead(models.Model):
    _inherit = "crm.lead"

    crm_plus_existing_partner_id = fields.Many2one(
        "res.partner", string="Existing Customer", compute="_compute_crm_plus_existing_partner_id",
        help="A customer already in the base with this lead's phone, e-mail or company name.")

    # ------------------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------------------

    @api.depends("partner_id", "email_from", "phone", "mobile", "partner_name", "contact_name", "city", "street",
                 "country_id")
    def _compute_crm_plus_existing_partner_id(self):
        for lead in self:
            lead.crm_plus_existing_partner_id = (
                lead._crm_plus_find_existing_partner() if not lead.partner_id else False)

    # ------------------------------------------------------------------------------------------------
    # ORM overrides
    # ------------------------------------------------------------------------------------------------

    def _find_matching_partner(self, email_only=False):
        """Conversion links the lead to the customer that already has its phone, e-mail or company name."""
        partner = super()._find_matching_partner(email_only=email_only)
        if not partner:
            partner = self._crm_plus_find_existing_partner()
        return partner

    # ------------------------------------------------------------------------------------------------
    # business
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_identity_keys(self):
        """(kind, value) keys of the lead, normalised like the partners' keys."""
        self.ensure_one()
        regions = phone.reading_order(
            (self.country_id.code, self.env.company.country_id.code),
            texts=(self.partner_name, self.contact_name, self.city, self.street), numbers=(self.phone, self.mobile))
        return identity.identity_keys(
            phones=[key.e164 for raw in (self.phone, self.mobile) if raw for key in phone.phone_readings(raw, regions)],
            emails=emails.normalize_emails(self.email_from or ""),
            company_core=self.partner_name and company_name.canonical_company_name(self.partner_name).core)

    def _crm_plus_find_existing_partner(self):
        """The best existing partner for this lead by identity keys: phone and e-mail before name."""
        self.ensure_one()
        return self._crm_plus_find_existing_partners()[self.id]

    def _crm_plus_find_existing_partners(self):
        """{lead id: best existing partner (or an empty recordset)} for the leads of ``self``, in one query."""
        keys = {lead.id: lead._crm_plus_identity_keys() for lead in self}
        found = self.env["crm_plus.partner.key"]._lookup({pair for pairs in keys.values() for pair in pairs})
        result = {}
        for lead_id, pairs in keys.items():
            result[lead_id] = self.env["res.partner"]
            for kind in ("phone", "email", "name"):
                ids = sorted({pid for pair in pairs if pair[0] == kind for pid in found.get(pair, ())})
                if ids:
                    partner = self.env["res.partner"].browse(ids[0])
                    result[lead_id] = partner.commercial_partner_id if kind == "name" else partner
                    break
        return result
