from odoo import _, api, fields, models


class CrmPlusTicket(models.Model):
    _name = "crm_plus.ticket"
    _description = "Service Ticket"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, id desc"
    _rec_names_search = ["name", "number"]

    def _default_stage_id(self):
        return self.env["crm_plus.ticket.stage"].search([("is_closed", "=", False)], limit=1)

    number = fields.Char(string="Ticket Number", readonly=True, copy=False, default="/", index="trigram")
    name = fields.Char(string="Subject", required=True, tracking=True)
    description = fields.Html()
    partner_id = fields.Many2one("res.partner", string="Customer", tracking=True, index=True)
    partner_email = fields.Char(related="partner_id.email", string="Customer Email")
    partner_phone = fields.Char(related="partner_id.phone", string="Customer Phone")
    user_id = fields.Many2one(
        "res.users", string="Assigned to", tracking=True, index=True, domain=[("share", "=", False)],
        default=lambda self: self.env.user,
    )
    stage_id = fields.Many2one(
        "crm_plus.ticket.stage", string="Stage", tracking=True, index=True, copy=False,
        default=lambda self: self._default_stage_id(), group_expand="_read_group_expand_full", ondelete="restrict",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    priority = fields.Selection(
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")], default="1", index=True, tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    color = fields.Integer()

    _sql_constraints = [
        ("number_company_uniq", "unique(number, company_id)", "The ticket number must be unique per company."),
    ]

    @api.depends("number", "name")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = "[%s] %s" % (ticket.number, ticket.name) if ticket.number else ticket.name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("number", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["number"] = self.env["ir.sequence"].with_company(company).next_by_code("crm_plus.ticket") or "/"
        return super().create(vals_list)

    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid})

    def action_close(self):
        stage = self.env["crm_plus.ticket.stage"].search([("is_closed", "=", True)], limit=1)
        if stage:
            self.write({"stage_id": stage.id})
            self.message_post(body=_("Ticket closed."), subtype_xmlid="mail.mt_note")
