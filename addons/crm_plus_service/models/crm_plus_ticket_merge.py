"""Ticket merge: messages, attachments and followers of the sources moved to a target, the sources closed
with a link to it; the target keeps its own SLA clocks."""

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError


class CrmPlusTicket(models.Model):
    _inherit = "crm_plus.ticket"

    merged_into_id = fields.Many2one("crm_plus.ticket", string="Merged Into", readonly=True, copy=False,
                                     index="btree_not_null", ondelete="set null")
    merged_ticket_ids = fields.One2many("crm_plus.ticket", "merged_into_id", string="Merged Tickets")
    merged_ticket_count = fields.Integer(compute="_compute_merged_ticket_count")

    def _compute_merged_ticket_count(self):
        counts = dict(self._read_group([("merged_into_id", "in", self.ids)], ["merged_into_id"], ["__count"]))
        for ticket in self:
            ticket.merged_ticket_count = counts.get(ticket, 0)

    # ------------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------------

    def action_open_merged_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus_service.action_crm_plus_ticket")
        action.update(domain=[("merged_into_id", "=", self.id)], context={})
        return action

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_merge_check(self, target):
        """Why ``self`` cannot be merged into ``target`` (None when it can): the user must be allowed to
        change every ticket, and a ticket is not merged into itself or into a closed one."""
        sources = self - target
        if not sources:
            return self.env._("Choose at least one ticket to merge besides the target.")
        if target.is_closed:
            return self.env._("The target ticket is closed: choose an open one.")
        (sources | target).check_access("write")
        return None

    def _crm_plus_merge_into(self, target):
        """Merge the tickets of ``self`` (but ``target``) into ``target``; returns the sources."""
        target.ensure_one()
        error = self._crm_plus_merge_check(target)
        if error:
            raise UserError(error)
        sources = self - target
        # sudo: the user may write every ticket (checked above); their messages, attachments and followers
        # follow them, whoever wrote or added those
        self.env["mail.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "in", sources.ids)]).write({"res_id": target.id})
        self.env["ir.attachment"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", sources.ids)]).write({"res_id": target.id})
        followers = sources.sudo().message_partner_ids - target.sudo().message_partner_ids
        if followers:
            target.sudo().message_subscribe(partner_ids=followers.ids)
        closed = self.env["crm_plus.ticket.stage"].sudo().search([("is_closed", "=", True)], limit=1)
        # the closed stage of each team, looked up once per team
        closed_by_team = {team_id: closed.search([("is_closed", "=", True), *self._crm_plus_stage_domain(team_id)],
                                                 limit=1) or closed
                          for team_id in {source.team_id.id for source in sources}}
        for source in sources:
            vals = {"merged_into_id": target.id}
            stage = closed_by_team[source.team_id.id]
            if stage and source.stage_id != stage:
                vals["stage_id"] = stage.id
            source.write(vals)
            source._message_log(body=Markup(self.env._("Merged into %(link)s.", link=target._get_html_link())))
        target._message_log(body=Markup(self.env._("Merged here: %(links)s.", links=Markup(", ").join(
            s._get_html_link() for s in sources))))
        return sources
