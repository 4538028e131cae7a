"""Portal: which contacts of a customer see the company's tickets, and who decides it."""

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_plus_service_company_tickets = fields.Boolean(
        string="Sees Company Tickets",
        help="On the portal, this contact sees every ticket of their company, not only their own. Set by a "
             "service agent or by the company's service admin contact.")
    crm_plus_service_portal_admin = fields.Boolean(
        string="Service Admin Contact",
        help="Sees every ticket of their company on the portal and decides which colleagues see them too.")

    def write(self, vals):
        result = super().write(vals)
        if {"crm_plus_service_company_tickets", "crm_plus_service_portal_admin"} & set(vals):
            # the portal record rule of tickets reads these flags: its cached domains are stale now
            self.env.registry.clear_cache()
        return result

    def _crm_plus_service_sees_company(self):
        """Whether this contact sees all the tickets of their company on the portal."""
        self.ensure_one()
        return self.crm_plus_service_company_tickets or self.crm_plus_service_portal_admin

    def _crm_plus_service_portal_colleagues(self):
        """The other contacts of this admin contact's company who have a portal login (empty for others)."""
        self.ensure_one()
        if not self.crm_plus_service_portal_admin:
            return self.browse()
        # colleagues of the admin's own company, by the admin's own commercial partner: not ids from a request
        return self.sudo().search([
            ("commercial_partner_id", "=", self.commercial_partner_id.id), ("id", "!=", self.id),
            ("user_ids.share", "=", True)], order="name")

    def _crm_plus_service_set_company_tickets(self, colleague_ids):
        """The admin contact ``self`` lets exactly ``colleague_ids`` (of their colleagues) see company tickets."""
        self.ensure_one()
        colleagues = self._crm_plus_service_portal_colleagues()
        wanted = colleagues.filtered(lambda p: p.id in set(colleague_ids))
        # sudo: a customer's admin contact sets a flag on their own colleagues only (checked just above)
        (colleagues - wanted).filtered("crm_plus_service_company_tickets").sudo().write(
            {"crm_plus_service_company_tickets": False})
        (wanted - wanted.filtered("crm_plus_service_company_tickets")).sudo().write(
            {"crm_plus_service_company_tickets": True})
        return wanted
