"""Tickets on the customer portal: their URL and token, opening, answering and closing one as a customer."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import plaintext2html

from ..tools.portal_input import check_message, check_subject
from .crm_plus_ticket import RUNNING_CONTRACT_STATES

# longest text a customer may post (characters) and longest subject
MAX_PORTAL_TEXT = 20000
MAX_PORTAL_SUBJECT = 200


class CrmPlusTicket(models.Model):
    _name = "crm_plus.ticket"
    _inherit = ["crm_plus.ticket", "portal.mixin"]

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for ticket in self:
            ticket.access_url = "/my/tickets/%s" % ticket.id
        return result

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_portal_contracts(self):
        """The running contracts of the current user's company, offered on the portal's new-ticket form."""
        customer = self.env.user.partner_id.commercial_partner_id
        # sudo: customers have no access to contracts; only their own company's, found by their own partner
        return self.env["crm_plus.contract"].sudo().search(
            [("partner_id", "=", customer.id), ("state", "in", RUNNING_CONTRACT_STATES)], order="name")

    @api.model
    def _crm_plus_portal_orders(self):
        """The confirmed orders of the current user's company, offered on the portal's new-ticket form."""
        customer = self.env.user.partner_id.commercial_partner_id
        # sudo: Odoo's own order rule follows the followers; here only the company's orders, by its partner
        return self.env["sale.order"].sudo().search(
            [("partner_id", "child_of", customer.id), ("state", "=", "sale")], order="date_order desc", limit=50)

    @api.model
    def _crm_plus_portal_problems(self, text, files, subject=None):
        """Translated problems of what a customer sends: a reply (``subject`` None) or a new ticket (whose
        description may be empty). ``files``: [(name, size in bytes)]."""
        settings = self.env["res.config.settings"]
        max_files = settings._crm_plus_param("service_max_attachments")
        max_mb = settings._crm_plus_param("service_max_attachment_mb")
        codes = []
        if subject is not None:
            codes += check_subject(subject, MAX_PORTAL_SUBJECT)
        codes += [(code, detail) for code, detail in check_message(
            text, files, MAX_PORTAL_TEXT, max_files, max_mb * 1048576) if not (subject is not None and code == "empty")]
        return [self._crm_plus_portal_problem_text(code, detail, max_files, max_mb) for code, detail in codes]

    @api.model
    def _crm_plus_portal_problem_text(self, code, detail, max_files, max_mb):
        if code == "no_subject":
            return self.env._("Please give your request a subject.")
        if code == "subject_too_long":
            return self.env._("The subject is too long (at most %(chars)s characters).", chars=MAX_PORTAL_SUBJECT)
        if code == "empty":
            return self.env._("Your message is empty: write something or attach a file.")
        if code == "too_long":
            return self.env._("Your text is too long (at most %(chars)s characters).", chars=MAX_PORTAL_TEXT)
        if code == "too_many_files":
            return self.env._("Too many files: at most %(count)s per message.", count=max_files)
        if code == "file_too_large":
            return self.env._("The file %(name)s is larger than %(mb)s MB.", name=detail, mb=max_mb)
        return self.env._("The file %(name)s is empty.", name=detail)

    @api.model
    def _crm_plus_portal_create(self, values, files=()):
        """A ticket opened by the current portal user: ``values`` as the form sends them (subject, description,
        type, contract, order ids as strings). Returns the ticket, read as the user."""
        partner = self.env.user.partner_id
        contract_id = int(values.get("contract_id") or 0)
        order_id = int(values.get("sale_order_id") or 0)
        type_id = int(values.get("type_id") or 0)
        # what the customer picks must be theirs: checked against their own lists, never trusted from the form
        if contract_id and contract_id not in self._crm_plus_portal_contracts().ids:
            raise AccessError(self.env._("This contract is not one of yours."))
        if order_id and order_id not in self._crm_plus_portal_orders().ids:
            raise AccessError(self.env._("This order is not one of yours."))
        ticket_type = self.env["crm_plus.ticket.type"].browse(type_id).exists() if type_id else None
        settings = self.env["res.config.settings"]
        team = settings._crm_plus_param("service_portal_team_id")
        description = (values.get("description") or "").strip()
        vals = {
            "name": values["name"].strip(), "description": plaintext2html(description) if description else False,
            "partner_id": partner.id, "email_from": partner.email, "channel": "portal", "user_id": False,
            "type_id": ticket_type.id if ticket_type else False, "contract_id": contract_id or False,
            "sale_order_id": order_id or False,
        }
        if team:
            vals["team_id"] = team.id  # the ticket then takes its team's company
        else:
            vals["company_id"] = self.env.user.company_id.id
        # sudo: customers cannot create tickets through the ORM; every value above is checked or their own
        ticket = self.sudo().with_context(mail_create_nolog=False).create(vals)
        ticket.message_subscribe(partner_ids=partner.ids)
        if files:
            ticket._crm_plus_portal_post(partner, "", files)
        return ticket.sudo(False)

    def _crm_plus_portal_post(self, author, text, files):
        """A public message of the customer ``author`` with ``files`` [(name, bytes)] on a ticket the caller
        has checked access to (sudo record from the portal controller)."""
        self.ensure_one()
        body = plaintext2html(text.strip()) if (text or "").strip() else Markup("")
        return self.message_post(
            body=body, author_id=author.id, message_type="comment", subtype_xmlid="mail.mt_comment",
            attachments=[(name, content) for name, content in files])

    def _crm_plus_portal_can_close(self, partner):
        """Whether ``partner`` may close this ticket from the portal: their own ticket, or their company's
        when they are its service admin contact; never one already closed."""
        self.ensure_one()
        if self.is_closed or not partner:
            return False
        return self.partner_id == partner or (
            partner.crm_plus_service_portal_admin and self.customer_id == partner.commercial_partner_id)

    def _crm_plus_portal_close(self, partner):
        """Close the ticket for ``partner`` (checked by ``_crm_plus_portal_can_close``)."""
        self.ensure_one()
        if not self._crm_plus_portal_can_close(partner):
            raise AccessError(self.env._("You cannot close this ticket."))
        stage = self.env["crm_plus.ticket.stage"].sudo().search(
            [("is_closed", "=", True), *self._crm_plus_stage_domain(self.team_id.id)], limit=1)
        if not stage:
            return False
        # sudo: a customer closes their own ticket (checked above), they have no write access to tickets
        self.sudo().write({"stage_id": stage.id, "date_solved": fields.Datetime.now()})
        self.sudo()._message_log(body=self.env._("Closed by %(name)s on the portal.", name=partner.name))
        return True
