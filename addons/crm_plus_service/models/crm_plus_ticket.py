import secrets

from odoo import _, api, fields, models

CHANNELS = [
    ("email", "E-mail"),
    ("portal", "Portal"),
    ("web_form", "Web Form"),
    ("phone", "Phone"),
    ("api", "API"),
]
# contract states in which a contract covers its customer (an SLA entitlement applies)
RUNNING_CONTRACT_STATES = ("running", "expiring")


class CrmPlusTicket(models.Model):
    _name = "crm_plus.ticket"
    _description = "Service Ticket"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, id desc"
    _rec_names_search = ["name", "number"]
    _primary_email = "email_from"
    _check_company_auto = True

    def _default_stage_id(self):
        team_id = self.env.context.get("default_team_id")
        return self.env["crm_plus.ticket.stage"].search(
            [("is_closed", "=", False), ("is_solved", "=", False), *self._crm_plus_stage_domain(team_id)], limit=1)

    # identification
    number = fields.Char(string="Ticket Number", readonly=True, copy=False, default="/", index="trigram")
    name = fields.Char(string="Subject", required=True, tracking=True)
    description = fields.Html()
    reply_token = fields.Char(
        readonly=True, copy=False, index="btree_not_null", groups="base.group_system",
        default=lambda self: secrets.token_hex(8),
        help="Carried in the reply-to address of this ticket's e-mails, so that replies find it back.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    color = fields.Integer()
    # classification
    team_id = fields.Many2one("crm_plus.ticket.team", string="Team", tracking=True, index=True,
                              check_company=True)
    type_id = fields.Many2one("crm_plus.ticket.type", string="Type", tracking=True, index="btree_not_null")
    tag_ids = fields.Many2many("crm_plus.ticket.tag", string="Tags")
    channel = fields.Selection(CHANNELS, default="phone", required=True, tracking=True)
    priority = fields.Selection(
        [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")], default="1", index=True, tracking=True,
    )
    # people
    partner_id = fields.Many2one("res.partner", string="Contact", tracking=True, index=True, check_company=True)
    customer_id = fields.Many2one(
        "res.partner", string="Customer", related="partner_id.commercial_partner_id", store=True, index=True)
    email_from = fields.Char(string="E-mail", help="Address the ticket came from and answers go to.")
    partner_email = fields.Char(related="partner_id.email", string="Customer Email")
    partner_phone = fields.Char(related="partner_id.phone", string="Customer Phone")
    partner_to_review = fields.Boolean(related="partner_id.crm_plus_service_to_review")
    user_id = fields.Many2one(
        "res.users", string="Assigned to", tracking=True, index=True, domain=[("share", "=", False)],
        default=lambda self: self.env.user,
    )
    # the salesperson and sales team owning the customer: the data scope of sales users
    customer_user_id = fields.Many2one(
        "res.users", string="Salesperson", related="customer_id.user_id", store=True, index=True)
    customer_team_id = fields.Many2one(
        "crm.team", string="Sales Team", related="customer_id.team_id", store=True, index=True)
    # stage
    stage_id = fields.Many2one(
        "crm_plus.ticket.stage", string="Stage", tracking=True, index=True, copy=False,
        default=lambda self: self._default_stage_id(), group_expand="_read_group_stage_ids", ondelete="restrict",
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True)
    is_solved = fields.Boolean(related="stage_id.is_solved", store=True, index=True)
    is_waiting = fields.Boolean(related="stage_id.is_waiting", store=True, index=True)
    date_solved = fields.Datetime(readonly=True, copy=False)
    # what the ticket is about
    contract_id = fields.Many2one("crm_plus.contract", string="Contract", index="btree_not_null", check_company=True,
                                  domain="[('partner_id', '=', customer_id)]")
    contract_inactive = fields.Boolean(
        string="Contract Not Running", compute="_compute_contract_inactive", store=True,
        help="The ticket was accepted for a contract that is not running (expired, terminated or archived).")
    sale_order_id = fields.Many2one("sale.order", string="Sales Order", index="btree_not_null", check_company=True,
                                    domain="[('partner_id', 'child_of', customer_id)]")
    invoice_id = fields.Many2one("account.move", string="Invoice", index="btree_not_null", check_company=True,
                                 domain="[('move_type', '=', 'out_invoice'), ('partner_id', 'child_of', customer_id)]")
    # the customer's history, shown on the form
    previous_ticket_count = fields.Integer(compute="_compute_customer_history")
    running_contract_count = fields.Integer(compute="_compute_customer_history")
    open_invoice_count = fields.Integer(compute="_compute_customer_history")
    overdue_invoice_count = fields.Integer(compute="_compute_customer_history")

    _sql_constraints = [
        ("number_company_uniq", "unique(number, company_id)", "The ticket number must be unique per company."),
    ]

    @api.depends("number", "name")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = "[%s] %s" % (ticket.number, ticket.name) if ticket.number else ticket.name

    @api.depends("contract_id.state")
    def _compute_contract_inactive(self):
        for ticket in self:
            contract = ticket.contract_id
            ticket.contract_inactive = bool(contract) and contract.state not in RUNNING_CONTRACT_STATES

    @api.depends("customer_id")
    def _compute_customer_history(self):
        customers = self.customer_id
        tickets, contracts, invoices, overdue = {}, {}, {}, {}
        if customers:
            # counts over the customers' whole history; read as the agent: what they may not read is not counted
            for customer, count in self._read_group([("customer_id", "in", customers.ids)], ["customer_id"],
                                                    ["__count"]):
                tickets[customer.id] = count
            Contract = self.env["crm_plus.contract"]
            if Contract.has_access("read"):
                for partner, count in Contract._read_group(
                        [("partner_id", "in", customers.ids), ("state", "in", RUNNING_CONTRACT_STATES)],
                        ["partner_id"], ["__count"]):
                    contracts[partner.id] = count
            Move = self.env["account.move"]
            if Move.has_access("read"):
                domain = [("commercial_partner_id", "in", customers.ids), ("move_type", "=", "out_invoice"),
                          ("state", "=", "posted"), ("payment_state", "in", ("not_paid", "partial"))]
                for partner, count in Move._read_group(domain, ["commercial_partner_id"], ["__count"]):
                    invoices[partner.id] = count
                overdue_domain = [*domain, ("invoice_date_due", "<", fields.Date.context_today(self))]
                for partner, count in Move._read_group(overdue_domain, ["commercial_partner_id"], ["__count"]):
                    overdue[partner.id] = count
        for ticket in self:
            customer_id = ticket.customer_id.id
            ticket.previous_ticket_count = max(tickets.get(customer_id, 0) - (1 if ticket._origin.id else 0), 0)
            ticket.running_contract_count = contracts.get(customer_id, 0)
            ticket.open_invoice_count = invoices.get(customer_id, 0)
            ticket.overdue_invoice_count = overdue.get(customer_id, 0)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search(self._crm_plus_stage_domain(self.env.context.get("default_team_id")))

    @api.model
    def _crm_plus_stage_domain(self, team_id):
        """Stages a ticket of ``team_id`` may be in."""
        if not team_id:
            return []
        return ["|", ("team_ids", "=", False), ("team_ids", "in", [team_id])]

    # ------------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("team_id") and not vals.get("company_id"):
                # a ticket belongs to its team's company (an alias of another company's team included)
                vals["company_id"] = self.env["crm_plus.ticket.team"].browse(vals["team_id"]).company_id.id
            if vals.get("number", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["number"] = self.env["ir.sequence"].with_company(company).next_by_code("crm_plus.ticket") or "/"
            if vals.get("team_id") and "stage_id" not in vals:
                vals["stage_id"] = self.with_context(default_team_id=vals["team_id"])._default_stage_id().id
            if vals.get("stage_id") and self.env["crm_plus.ticket.stage"].browse(vals["stage_id"]).is_solved:
                vals.setdefault("date_solved", fields.Datetime.now())
        tickets = super().create(vals_list)
        tickets._crm_plus_after_create()
        return tickets

    def write(self, vals):
        if "stage_id" in vals:
            stage = self.env["crm_plus.ticket.stage"].browse(vals["stage_id"])
            vals["date_solved"] = fields.Datetime.now() if stage.is_solved or stage.is_closed else False
        return super().write(vals)

    def _crm_plus_after_create(self):
        """What follows a ticket's creation, whatever created it (form, e-mail, API); hooked by concerns."""
        return

    # ------------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------------

    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid})

    def action_close(self):
        stage = self.env["crm_plus.ticket.stage"].search(
            [("is_closed", "=", True), *self._crm_plus_stage_domain(self[:1].team_id.id)], limit=1)
        if stage:
            self.write({"stage_id": stage.id})
            self.message_post(body=_("Ticket closed."), subtype_xmlid="mail.mt_note")

    def action_solve(self):
        self._crm_plus_move_to([("is_solved", "=", True)])

    def action_wait_customer(self):
        self._crm_plus_move_to([("is_waiting", "=", True)])

    def _crm_plus_move_to(self, stage_domain):
        for ticket in self:
            stage = self.env["crm_plus.ticket.stage"].search(
                stage_domain + self._crm_plus_stage_domain(ticket.team_id.id), limit=1)
            if stage:
                ticket.stage_id = stage

    def action_open_previous_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus_service.action_crm_plus_ticket")
        action.update(domain=[("customer_id", "=", self.customer_id.id), ("id", "!=", self.id)], context={})
        return action

    def action_open_running_contracts(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": _("Running Contracts"), "res_model": "crm_plus.contract",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.customer_id.id), ("state", "in", RUNNING_CONTRACT_STATES)],
        }

    def action_open_invoices(self):
        self.ensure_one()
        domain = [("commercial_partner_id", "=", self.customer_id.id), ("move_type", "=", "out_invoice"),
                  ("state", "=", "posted"), ("payment_state", "in", ("not_paid", "partial"))]
        if self.env.context.get("overdue"):
            domain.append(("invoice_date_due", "<", fields.Date.context_today(self)))
        return {
            "type": "ir.actions.act_window", "name": _("Open Invoices"), "res_model": "account.move",
            "view_mode": "list,form", "domain": domain,
        }
