"""Leads: the customer's values a lead copies, only where the user may read them unmasked."""

from odoo import models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # --- values copied from the customer --------------------------------------------------------------
    # A lead copies the customer's e-mail, phone, address, contact and company names when its customer is
    # set. The copy is made only when the user may read the customer with its contact details: otherwise
    # the lead's form (onchange) or a lead the user creates would show what the customer's record hides.

    def _crm_plus_copying_leads(self):
        """The leads of ``self`` whose customer's values may be copied for the current user."""
        # stored computes run as the system (compute_sudo): the copy is decided for the real user; the
        # system itself (crons, mail gateway, uid 1) copies everything
        partners = self.partner_id._origin.with_user(self.env.uid)  # a form's lead holds new records
        if partners.env.su or not partners:
            return self
        hidden = set((partners - partners._filtered_access("read")).ids) | partners._crm_plus_masked_ids()
        return self.filtered(lambda lead: lead.partner_id._origin.id not in hidden)

    def _compute_email_from(self):
        return super(CrmLead, self._crm_plus_copying_leads())._compute_email_from()

    def _compute_phone(self):
        return super(CrmLead, self._crm_plus_copying_leads())._compute_phone()

    def _compute_mobile(self):
        return super(CrmLead, self._crm_plus_copying_leads())._compute_mobile()

    def _compute_partner_address_values(self):
        return super(CrmLead, self._crm_plus_copying_leads())._compute_partner_address_values()

    def _compute_function(self):
        return super(CrmLead, self._crm_plus_copying_leads())._compute_function()

    def _compute_website(self):
        return super(CrmLead, self._crm_plus_copying_leads())._compute_website()

    def _compute_contact_name(self):
        return super(CrmLead, self._crm_plus_copying_leads())._compute_contact_name()

    def _compute_partner_name(self):
        return super(CrmLead, self._crm_plus_copying_leads())._compute_partner_name()
