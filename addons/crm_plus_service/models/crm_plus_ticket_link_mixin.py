"""Smart buttons from contracts, orders and invoices to their tickets (the ticket's own fields link back)."""

from odoo import api, fields, models


class CrmPlusTicketLinkMixin(models.AbstractModel):
    """A record that tickets point to through ``_crm_plus_ticket_field``: a count and the list of them."""

    _name = "crm_plus.ticket.link.mixin"
    _description = "Records Linked to Tickets"

    # the ticket's many2one to this model
    _crm_plus_ticket_field = None

    crm_plus_ticket_count = fields.Integer(string="Tickets", compute="_compute_crm_plus_ticket_count")

    @api.depends_context("uid")
    def _compute_crm_plus_ticket_count(self):
        Ticket = self.env["crm_plus.ticket"]
        counts = {}
        if Ticket.has_access("read"):
            # counted as the user: tickets they may not read are not counted
            counts = dict(Ticket._read_group([(self._crm_plus_ticket_field, "in", self.ids)],
                                             [self._crm_plus_ticket_field], ["__count"]))
        for record in self:
            record.crm_plus_ticket_count = counts.get(record, 0)

    def action_open_crm_plus_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus_service.action_crm_plus_ticket")
        action.update(domain=[(self._crm_plus_ticket_field, "=", self.id)],
                      context={"default_%s" % self._crm_plus_ticket_field: self.id,
                               "default_partner_id": self.partner_id.id})
        return action
