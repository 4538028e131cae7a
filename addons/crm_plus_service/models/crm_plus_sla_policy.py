from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

TARGET_UNITS = [("minutes", "Minutes"), ("hours", "Working Hours"), ("days", "Working Days")]
CLOCK_KINDS = [("first_response", "First Response"), ("next_reply", "Next Reply"), ("resolution", "Resolution")]


class CrmPlusSlaPolicy(models.Model):
    _name = "crm_plus.sla.policy"
    _description = "SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Policies are tried in this order; the first that matches applies.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    # what a ticket must have for the policy to apply (empty: anything)
    team_ids = fields.Many2many("crm_plus.ticket.team", string="Teams", check_company=True)
    priorities = fields.Char(
        help="Comma-separated priorities (0 low, 1 normal, 2 high, 3 urgent) the policy applies to; empty: all.")
    type_ids = fields.Many2many("crm_plus.ticket.type", string="Ticket Types")
    customer_level_ids = fields.Many2many("crm_plus.customer.level", string="Customer Levels")
    contract_only = fields.Boolean(
        string="Contract Entitlement Only",
        help="Applies only to customers whose running contract names this policy.")
    # targets
    first_response_time = fields.Float(default=2.0)
    first_response_unit = fields.Selection(TARGET_UNITS, default="hours", required=True)
    next_reply_time = fields.Float(default=4.0, help="0: no next-reply clock.")
    next_reply_unit = fields.Selection(TARGET_UNITS, default="hours", required=True)
    resolution_time = fields.Float(default=24.0)
    resolution_unit = fields.Selection(TARGET_UNITS, default="hours", required=True)
    at_risk_share = fields.Float(
        string="At Risk From", default=0.8,
        help="Share of a target used (0 to 1) from which a clock is at risk.")
    escalation_ids = fields.One2many("crm_plus.sla.escalation", "policy_id", string="Escalation Ladder", copy=True)

    @api.constrains("at_risk_share", "first_response_time", "next_reply_time", "resolution_time")
    def _check_targets(self):
        for policy in self:
            if not 0 <= policy.at_risk_share <= 1:
                raise ValidationError(_("The at-risk share is between 0 and 1."))
            if min(policy.first_response_time, policy.next_reply_time, policy.resolution_time) < 0:
                raise ValidationError(_("SLA targets cannot be negative."))

    def write(self, vals):
        result = super().write(vals)
        if any(name.endswith(("_time", "_unit")) for name in vals):
            self.env["crm_plus.ticket.clock"]._crm_plus_mark_recompute([("policy_id", "in", self.ids)])
        return result

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_target(self, kind):
        """(amount, unit) of this policy's ``kind`` clock."""
        self.ensure_one()
        return self["%s_time" % kind], self["%s_unit" % kind]

    def _crm_plus_matches(self, ticket):
        """Whether this policy applies to ``ticket`` by its criteria (entitlements aside)."""
        self.ensure_one()
        priorities = {p.strip() for p in (self.priorities or "").split(",") if p.strip()}
        return ((not self.company_id or self.company_id == ticket.company_id)
                and (not self.team_ids or ticket.team_id in self.team_ids)
                and (not priorities or ticket.priority in priorities)
                and (not self.type_ids or ticket.type_id in self.type_ids)
                and (not self.customer_level_ids
                     or ticket.customer_id.customer_level_id in self.customer_level_ids))

    @api.model
    def _crm_plus_match(self, tickets):
        """{ticket id: policy} for ``tickets``: a running contract's own policy first (the entitlement; the
        ticket's contract, else any running contract of the customer), then the first policy by sequence."""
        policies = self.search([("active", "=", True)])
        entitlements = tickets._crm_plus_entitled_policies()
        result = {}
        for ticket in tickets:
            policy = entitlements.get(ticket.id)
            if not policy:
                policy = next((p for p in policies if not p.contract_only and p._crm_plus_matches(ticket)),
                              self.browse())
            result[ticket.id] = policy
        return result
