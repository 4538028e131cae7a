
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

CHANNELS = [("phone", "Phone"), ("visit", "Visit"), ("wechat", "WeChat"), ("email", "Email")]
STATES = [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")]
SATISFACTION = [
    ("0", "Not Rated"),
    ("1", "Very Dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very Satisfied"),
]


class CrmPlusReturnVisit(models.Model):
    """A return visit (回访): the salesperson calls or visits a customer after a sale and records how
    satisfied the customer is."""

    _name = "crm_plus.return.visit"
    _description = "Return Visit"
    # a return visit is planned on a customer the user may read
    _inherit = ["mail.thread", "mail.activity.mixin", "crm_plus.partner.link.mixin"]
    _order = "date_planned desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True, check_company=True,
        domain="[('parent_id', '=', False)]")
    contact_id = fields.Many2one("res.partner", string="Contact", check_company=True,
                                 domain="[('parent_id', '=', partner_id)]")
    user_id = fields.Many2one("res.users", string="Salesperson", default=lambda self: self.env.user, index=True,
                              tracking=True, domain=[("share", "=", False)])
    team_id = fields.Many2one("crm.team", string="Sales Team", index=True, compute="_compute_team_id",
                              store=True, readonly=False, precompute=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    date_planned = fields.Date(string="Planned Date", required=True, default=fields.Date.context_today,
                               tracking=True, index=True)
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    channel = fields.Selection(CHANNELS, default="phone", required=True)
    state = fields.Selection(STATES, string="Status", default="planned", required=True, tracking=True, copy=False,
                             index=True)
    outcome = fields.Text(copy=False, help="What the customer said; required to mark the visit done.")
    satisfaction = fields.Selection(SATISFACTION, default="0", copy=False, tracking=True,
                                    help="Customer satisfaction, 1 to 5 stars; required to mark the visit done.")
    satisfaction_score = fields.Integer(compute="_compute_satisfaction_score", store=True, aggregator="avg")
    sale_order_id = fields.Many2one("sale.order", string="Sale Order", index="btree_not_null", copy=False,
                                    check_company=True, domain="[('partner_id', 'child_of', partner_id)]")
    contract_id = fields.Many2one("crm_plus.contract", string="Contract", index="btree_not_null",
                                  check_company=True, domain="[('partner_id', '=', partner_id)]")
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")

    _sql_constraints = [
        ("sale_order_unique", "UNIQUE(sale_order_id)", "An order has one automatic return visit."),
    ]

    @api.depends("partner_id", "date_planned")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = _("Return visit %(customer)s %(date)s", customer=visit.partner_id.name or "",
                                   date=fields.Date.to_string(visit.date_planned) or "")

    @api.depends("user_id", "partner_id")
    def _compute_team_id(self):
        for visit in self:
            visit.team_id = visit.team_id or visit.partner_id.team_id or visit.user_id.sale_team_id

    @api.depends("satisfaction")
    def _compute_satisfaction_score(self):
        for visit in self:
            visit.satisfaction_score = int(visit.satisfaction or 0)

    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for visit in self:
            visit.is_overdue = visit.state == "planned" and visit.date_planned < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on overdue return visits."))
        domain = [("state", "=", "planned"), ("date_planned", "<", fields.Date.context_today(self))]
        return domain if (operator == "=") == value else ["!", *domain]

    @api.constrains("state", "outcome", "satisfaction")
    def _check_done(self):
        for visit in self.filtered(lambda v: v.state == "done"):
            if not (visit.outcome or "").strip() or visit.satisfaction in (False, "0"):
                raise ValidationError(_(
                    "Record the outcome and the customer's satisfaction (1 to 5 stars) to mark %(visit)s done.",
                    visit=visit.display_name))

    def action_open_done_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Return Visit Done"),
            "res_model": "crm_plus.return.visit.done.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_visit_id": self.id, "default_outcome": self.outcome,
                        "default_satisfaction": self.satisfaction or "0"},
        }

    def action_cancel(self):
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_reset(self):
        self.write({"state": "planned", "date_done": False})

    def _mark_done(self, outcome, satisfaction):
        """Close the visits with their outcome and stars; their open to-dos are done too."""
        self.write({"state": "done", "outcome": outcome, "satisfaction": satisfaction,
                    "date_done": fields.Date.context_today(self)})
        self.activity_ids.action_feedback(feedback=outcome)

    @api.model
    def _prepare_from_order(self, order, today):
        partner = order.partner_id
        return {
            "partner_id": partner.commercial_partner_id.id,
            "contact_id": partner.id if partner != partner.commercial_partner_id else False,
            "user_id": order.user_id.id,
            "team_id": order.team_id.id or partner.commercial_partner_id.team_id.id,
            "company_id": order.company_id.id,
            "sale_order_id": order.id,
            "contract_id": order.contract_id.id,
            "date_planned": today,
        }

    @api.model
    def _cron_create_from_orders(self, batch_size=200, lookback_days=30):
        """One return visit (with a to-do for the salesperson) per order confirmed N days ago.

        Orders confirmed between N and N + ``lookback_days`` days ago without a visit yet are taken (a
        resumed run catches up; older orders are history). Idempotent: one visit per order (unique).
        """
        days = self.env["res.config.settings"]._crm_plus_param("return_visit_days")
        if days <= 0:
            return 0
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        orders = self.env["sale.order"].sudo().search([
            ("state", "=", "sale"), ("date_order", "<=", fields.Datetime.subtract(now, days=days)),
            ("date_order", ">", fields.Datetime.subtract(now, days=days + lookback_days)),
        ], order="id")

        def plan(batch):
            batch = self.env["ir.cron"]._crm_plus_claim(batch)
            visited = {order.id for (order,) in self.sudo()._read_group(
                [("sale_order_id", "in", batch.ids)], ["sale_order_id"])}
            todo = batch.filtered(lambda o: o.id not in visited)
            visits = self.sudo().create([self._prepare_from_order(order, today) for order in todo])
            self.env["mail.activity"]._crm_plus_create_todos([
                (visit, visit.user_id, visit.with_context(lang=visit.user_id.lang or self.env.lang).env._(
                    "Return visit to %(customer)s", customer=visit.partner_id.name), today)
                for visit in visits.filtered("user_id")])
            return len(visits)

        return self.env["ir.cron"]._crm_plus_run_batches("return visits", orders, plan, batch_size)
