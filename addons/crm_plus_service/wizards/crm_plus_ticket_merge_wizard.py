from odoo import api, fields, models


class CrmPlusTicketMergeWizard(models.TransientModel):
    """Merge tickets into one: the wizard of the ticket list's action menu."""

    _name = "crm_plus.ticket.merge.wizard"
    _description = "Merge Tickets"

    ticket_ids = fields.Many2many("crm_plus.ticket", string="Tickets", required=True)
    target_id = fields.Many2one("crm_plus.ticket", string="Merge Into", required=True,
                                domain="[('id', 'in', ticket_ids), ('is_closed', '=', False)]")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "crm_plus.ticket":
            tickets = self.env["crm_plus.ticket"].browse(self.env.context.get("active_ids", [])).exists()
            values["ticket_ids"] = [(6, 0, tickets.ids)]
            # the oldest open ticket by default: the one the customer's conversation started in
            values["target_id"] = (tickets.filtered(lambda t: not t.is_closed).sorted("id")[:1] or tickets[:1]).id
        return values

    def action_merge(self):
        self.ensure_one()
        self.ticket_ids._crm_plus_merge_into(self.target_id)
        return {"type": "ir.actions.act_window", "res_model": "crm_plus.ticket", "res_id": self.target_id.id,
                "view_mode": "form", "views": [(False, "form")]}
