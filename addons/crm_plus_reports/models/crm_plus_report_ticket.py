from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_plus_service.models.crm_plus_ticket_clock import CLOCK_STATES


class CrmPlusReportTicket(models.Model):
    """One row per ticket: SLA compliance, first-response and resolution times by team and agent.

    Times are the working hours the SLA clocks of crm_plus_service consumed (on the team's calendar, pauses
    left out) once they stopped; the SLA is met when none of the ticket's clocks was breached. Read as the
    tickets are: same agent, team, customer owner and company columns, the rules of ``crm_plus.ticket``.
    """

    _name = "crm_plus.report.ticket"
    _inherit = ["crm_plus.report.view.mixin", "crm_plus.scope.mixin"]
    _description = "Service Analysis"
    _auto = False
    _order = "create_date desc, id desc"
    _rec_name = "ticket_id"
    _crm_plus_owner_field = "customer_user_id"
    _crm_plus_team_field = "customer_team_id"
    _crm_plus_unowned_in_scope = False
    _crm_plus_source = {"model": "crm_plus.ticket", "field": "ticket_id", "owner": "customer_user_id",
                        "count": "ticket_count"}
    _crm_plus_date_field = "create_date"
    _crm_plus_export_fields = ("ticket_id", "customer_id", "team_id", "user_id", "stage_id", "priority", "sla_state",
                               "create_date", "first_response_hours", "resolution_hours")

    ticket_id = fields.Many2one("crm_plus.ticket", string="Ticket", readonly=True)
    team_id = fields.Many2one("crm_plus.ticket.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    customer_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    customer_user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    customer_team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    stage_id = fields.Many2one("crm_plus.ticket.stage", string="Stage", readonly=True)
    type_id = fields.Many2one("crm_plus.ticket.type", string="Type", readonly=True)
    sla_policy_id = fields.Many2one("crm_plus.sla.policy", string="SLA Policy", readonly=True)
    priority = fields.Selection([("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")], readonly=True)
    sla_state = fields.Selection(CLOCK_STATES, string="SLA State", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    create_date = fields.Datetime(string="Created On", readonly=True)
    date_first_response = fields.Datetime(string="First Response", readonly=True)
    date_solved = fields.Datetime(string="Solved On", readonly=True)
    ticket_count = fields.Integer(string="# Tickets", readonly=True, aggregator="sum")
    open_count = fields.Integer(string="# Open", readonly=True, aggregator="sum")
    breached_count = fields.Integer(string="# SLA Breached", readonly=True, aggregator="sum")
    sla_compliance = fields.Float(string="SLA Compliance (%)", readonly=True, aggregator="avg",
                                  help="Tickets none of whose SLA clocks was breached, among the tickets with a "
                                       "stopped or breached clock.")
    first_response_hours = fields.Float(string="First Response (working hours)", readonly=True, aggregator="avg")
    resolution_hours = fields.Float(string="Resolution (working hours)", readonly=True, aggregator="avg")

    def _query(self):
        return SQL(
            """
            SELECT t.id AS id,
                   t.id AS ticket_id,
                   t.team_id AS team_id,
                   t.user_id AS user_id,
                   t.customer_id AS customer_id,
                   t.customer_user_id AS customer_user_id,
                   t.customer_team_id AS customer_team_id,
                   t.company_id AS company_id,
                   t.stage_id AS stage_id,
                   t.type_id AS type_id,
                   t.sla_policy_id AS sla_policy_id,
                   t.priority AS priority,
                   t.sla_state AS sla_state,
                   t.is_closed AS is_closed,
                   t.create_date AS create_date,
                   t.date_first_response AS date_first_response,
                   t.date_solved AS date_solved,
                   1 AS ticket_count,
                   CASE WHEN t.is_closed THEN 0 ELSE 1 END AS open_count,
                   CASE WHEN clock.breached > 0 THEN 1 ELSE 0 END AS breached_count,
                   CASE WHEN clock.breached > 0 THEN 0.0 WHEN clock.done > 0 THEN 100.0 END AS sla_compliance,
                   clock.first_response / 3600.0 AS first_response_hours,
                   clock.resolution / 3600.0 AS resolution_hours
              FROM crm_plus_ticket t
         LEFT JOIN (
                    SELECT c.ticket_id,
                           COUNT(*) FILTER (WHERE c.state = 'breached') AS breached,
                           COUNT(*) FILTER (WHERE c.done) AS done,
                           MAX(c.consumed_seconds) FILTER (WHERE c.done AND c.kind = 'first_response')
                               AS first_response,
                           MAX(c.consumed_seconds) FILTER (WHERE c.done AND c.kind = 'resolution') AS resolution
                      FROM crm_plus_ticket_clock c
                  GROUP BY c.ticket_id
                   ) clock ON clock.ticket_id = t.id
            """
        )
