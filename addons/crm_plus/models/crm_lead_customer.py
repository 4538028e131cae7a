"""The existing customer of a lead, found through the partners' identity keys (and used by the conversion)."""

from odoo import api, fields, models
from odoo.tools import SQL

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
        # one look-up for all the leads shown (a list of leads: one query, not one per lead)
        unlinked = self.filtered(lambda lead: not lead.partner_id)
        found = unlinked._crm_plus_find_existing_partners() if unlinked else {}
        for lead in self:
            lead.crm_plus_existing_partner_id = found.get(lead.id, False) if not lead.partner_id else False

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

    def _crm_plus_country_codes(self):
        """(the current company's country code, {country id: code} of the leads' countries) in one query,
        without reading the company, its address and the countries as records (a new request's routing of
        one inbound lead: one query instead of three)."""
        company = self.env.company
        self.env["res.partner"].flush_model(["country_id"])
        self.env.cr.execute(SQL(
            """SELECT c.id, c.code, c.id = p.country_id
                 FROM res_country c
                 LEFT JOIN res_company co ON co.id = %s
                 LEFT JOIN res_partner p ON p.id = co.partner_id
                WHERE c.id = p.country_id OR c.id = ANY(%s)""",
            company.id, self.country_id.ids))
        codes, company_code = {}, None
        for country_id, code, of_company in self.env.cr.fetchall():
            codes[country_id] = code
            if of_company:
                company_code = code
        return company_code, codes

    def _crm_plus_identity_keys(self, country_codes=None):
        """(kind, value) keys of the lead, normalised like the partners' keys. ``country_codes``: what
        ``_crm_plus_country_codes`` returns for a batch of leads containing this one."""
        self.ensure_one()
        company_code, codes = country_codes or self._crm_plus_country_codes()
        regions = phone.reading_order(
            (codes.get(self.country_id.id), company_code),
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
        # the countries only tell how to read phone numbers written without a country code
        country_codes = self._crm_plus_country_codes() if any(lead.phone or lead.mobile for lead in self) \
            else (None, {})
        keys = {lead.id: lead._crm_plus_identity_keys(country_codes) for lead in self}
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
