"""Satisfaction of tickets (Odoo's rating): one request when a ticket is solved, low scores followed up."""

from odoo import api, fields, models


class CrmPlusTicket(models.Model):
    _name = "crm_plus.ticket"
    # rating.mixin is a mail.thread: it comes before the ticket's own bases for a consistent MRO
    _inherit = ["rating.mixin", "crm_plus.ticket"]

    def _rating_get_parent_field_name(self):
        return "team_id"

    def _rating_get_operator(self):
        return self.user_id.partner_id if self.user_id and not self.user_id.share else self.env["res.partner"]

    # ------------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------------

    def write(self, vals):
        solved_before = {t.id for t in self if t.is_solved} if "stage_id" in vals else None
        result = super().write(vals)
        if solved_before is not None:
            self.filtered(lambda t: t.is_solved and t.id not in solved_before)._crm_plus_rating_request()
        return result

    def rating_apply(self, rate, token=None, rating=None, feedback=None, subtype_xmlid=None,
                     notify_delay_send=False):
        rating = super().rating_apply(rate, token=token, rating=rating, feedback=feedback,
                                      subtype_xmlid=subtype_xmlid, notify_delay_send=notify_delay_send)
        threshold = self.env["res.config.settings"]._crm_plus_param("service_rating_threshold")
        if rating.rating and rating.rating < threshold:
            self._crm_plus_low_rating(rating)
            self.env["crm_plus.outbox"]._crm_plus_emit("low_satisfaction", self)
        return rating

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_rating_request(self):
        """Ask the contact of each solved ticket for a rating, by e-mail and on the portal, once per ticket:
        a ticket that already has a rating (asked or given) is not asked again, even when solved again."""
        template = self.env.ref("crm_plus_service.mail_template_ticket_rating", raise_if_not_found=False)
        if not template:
            return
        # sudo: the agent solving a ticket may not read ratings; the request is the ticket's own bookkeeping
        for ticket in self.sudo():
            partner = ticket.partner_id
            if not partner or not partner.email or ticket.rating_ids:
                continue
            ticket.rating_send_request(template, lang=partner.lang, force_send=False)

    def _crm_plus_portal_rating_token(self):
        """The access token of the ticket's open rating request, for its portal page (None when none)."""
        self.ensure_one()
        rating = self.sudo().rating_ids.filtered(lambda r: not r.consumed and r.partner_id == self.partner_id)[:1]
        return rating.access_token if rating and (self.is_solved or self.is_closed) else None

    def _crm_plus_low_rating(self, rating):
        """A score under the threshold: a to-do for the service manager (the team leader, else a manager)."""
        self.ensure_one()
        manager = self.team_id.leader_id or self.env["res.users"].sudo().search(
            [("groups_id", "in", self.env.ref("crm_plus_service.group_crm_plus_service_manager").id),
             ("share", "=", False), ("id", "!=", self.env.ref("base.user_root").id)], order="id", limit=1)
        if not manager:
            return
        summary = self.with_context(lang=manager.lang or self.env.lang).env._(
            "Low satisfaction (%(score)s/5) on %(ticket)s", score=int(rating.rating), ticket=self.display_name)
        note = rating.feedback or ""
        self.env["mail.activity"]._crm_plus_create_todos(
            [(self.sudo(), manager, summary, fields.Date.context_today(manager), note)])

    @api.model
    def _crm_plus_low_rating_customers(self, customers, since):
        """Ids of ``customers`` (commercial partners) who gave a rating under the threshold since ``since``."""
        threshold = self.env["res.config.settings"]._crm_plus_param("service_rating_threshold")
        ratings = self.env["rating.rating"].sudo().search_fetch([
            ("res_model", "=", self._name), ("consumed", "=", True), ("rating", ">", 0),
            ("rating", "<", threshold), ("write_date", ">=", since)], ["res_id"])
        if not ratings:
            return set()
        groups = self.sudo()._read_group(
            [("id", "in", ratings.mapped("res_id")), ("customer_id", "in", customers.ids)], ["customer_id"])
        return {customer.id for (customer,) in groups}
