"""E-mail channel of tickets: a team's alias creates them, replies find them back, attachments are capped."""

import logging
import re

from odoo import api, models
from odoo.tools import email_split, formataddr
from odoo.tools.mail import email_split_tuples

from odoo.addons.crm_plus.tools.emails import normalize_email
from odoo.addons.crm_plus.tools.identity import identity_keys

from ..tools.mail_intake import is_auto_reply, reply_token, subject_number

_logger = logging.getLogger(__name__)
_CONTRACT_REF_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_-]{3,}")


class CrmPlusTicket(models.Model):
    _inherit = "crm_plus.ticket"

    # ------------------------------------------------------------------------------------------------
    # mail gateway
    # ------------------------------------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        values = dict(custom_values or {})
        email_from = msg_dict.get("email_from")
        partner = self._crm_plus_find_sender(email_from, create=True)
        values.update(channel="email", user_id=False, email_from=email_from or False)
        values.setdefault("name", msg_dict.get("subject") or self.env._("(no subject)"))
        if partner:
            values["partner_id"] = partner.id
            contract = self._crm_plus_find_contract(partner.commercial_partner_id, msg_dict.get("subject"))
            if contract:
                values["contract_id"] = contract.id
        ticket = super().message_new(msg_dict, custom_values=values)
        if not email_from:
            ticket._message_log(body=self.env._("This e-mail came without a sender: find the customer by hand."))
        if ticket.contract_inactive:
            ticket._message_log(body=self.env._(
                "The contract %(contract)s is not running: the ticket was accepted, check the customer's coverage.",
                contract=ticket.contract_id.name))
        return ticket

    @api.model
    def _crm_plus_find_sender(self, email_from, create=False):
        """The contact who wrote ``email_from``, found by crm_plus's identity keys; an unknown sender becomes
        a new contact flagged for review (``create``)."""
        address = normalize_email(email_from or "")
        if not address:
            return self.env["res.partner"]
        found = self.env["crm_plus.partner.key"].sudo()._lookup(identity_keys(emails=[address]))
        ids = sorted({pid for pids in found.values() for pid in pids})
        # the matching is the gateway's job, whatever the agent may read: ids read as the system
        partners = self.env["res.partner"].sudo().browse(ids).exists()
        if partners:
            # a person rather than their company, the oldest when several
            return (partners.filtered(lambda p: not p.is_company) or partners)[:1].sudo(False)
        if not create:
            return self.env["res.partner"]
        pairs = email_split_tuples(email_from)
        name = (pairs[0][0].strip() if pairs else "") or address
        return self.env["res.partner"].sudo().create({
            "name": name, "email": address, "crm_plus_service_to_review": True,
        }).sudo(False)

    @api.model
    def _crm_plus_find_contract(self, customer, subject):
        """The contract of ``customer`` whose reference appears in ``subject``, running or not."""
        refs = _CONTRACT_REF_RE.findall(subject or "")
        if not refs or not customer:
            return self.env["crm_plus.contract"]
        return self.env["crm_plus.contract"].sudo().search(
            [("partner_id", "=", customer.id), ("name", "in", refs)], limit=1).sudo(False)

    @api.model
    def _crm_plus_mail_routes(self, message, message_dict):
        """Routes of an incoming e-mail to an existing ticket, by (1) the reply-to token in a recipient
        address, (2) a [TKT-000123] subject tag when the sender is on that ticket; auto-replies only
        thread into a ticket, never create one. None: Odoo's own routing decides (References, aliases)."""
        recipients = [e.lower() for e in email_split(
            ",".join(filter(None, (message_dict.get(k) for k in ("recipients", "to", "cc")))))]
        Ticket = self.sudo()  # tokens are secret (system only); routing runs before any user is known
        ticket = Ticket.browse()
        token = reply_token(recipients)
        if token:
            ticket = Ticket.search([("reply_token", "=", token)], limit=1)
        aliases = self.env["crm_plus.ticket.team"].sudo().search([("alias_name", "!=", False)]).mapped("alias_email")
        to_team = bool({a.lower() for a in aliases if a} & set(recipients))
        if not ticket and to_team:
            number = subject_number(message_dict.get("subject"))
            if number:
                tagged = Ticket.search([("number", "=", number)], limit=1)
                if tagged and tagged._crm_plus_is_on_ticket(message_dict.get("email_from")):
                    ticket = tagged
        auto = is_auto_reply(dict(message.items()), message_dict.get("subject"))
        if auto:
            message_dict["message_type"] = "auto_comment"  # kept on the ticket, moves no clock
            if not ticket:
                ticket = self._crm_plus_ticket_by_references(message_dict)
            if not ticket and (to_team or token):
                _logger.info("Ticket e-mail %s: automatic reply to no ticket, not answered",
                             message_dict.get("message_id"))
                return []
        if not ticket:
            return None
        email_from = message_dict.get("email_from")
        user_id = self.env["mail.thread"]._mail_find_user_for_gateway(email_from).id or self.env.uid
        route = self.env["mail.thread"]._routing_check_route(
            message, message_dict, (self._name, ticket.id, {}, user_id, None), raise_exception=False)
        return [route] if route else []

    @api.model
    def _crm_plus_ticket_by_references(self, message_dict):
        refs = " ".join(filter(None, (message_dict.get("references"), message_dict.get("in_reply_to"))))
        ids = [r for r in refs.split() if r.strip()][-32:]
        if not ids:
            return self.browse()
        message = self.env["mail.message"].sudo().search(
            [("message_id", "in", ids), ("model", "=", self._name)], order="id desc", limit=1)
        return self.sudo().browse(message.res_id)

    def _crm_plus_is_on_ticket(self, email_from):
        """Whether ``email_from`` is the ticket's contact, its e-mail or one of its followers."""
        self.ensure_one()
        address = normalize_email(email_from or "")
        if not address:
            return False
        people = self.partner_id | self.message_partner_ids
        known = {normalize_email(e or "") for e in people.mapped("email")} | {normalize_email(self.email_from or "")}
        return address in known

    # ------------------------------------------------------------------------------------------------
    # replies and attachments
    # ------------------------------------------------------------------------------------------------

    def _notify_get_reply_to(self, default=None):
        """Replies to a ticket's e-mails go to its team's alias with the ticket's token: alias+t<token>@domain."""
        result = super()._notify_get_reply_to(default=default)
        aliases = self.env["crm_plus.ticket.team"]._crm_plus_reply_address(self.team_id.ids)
        for ticket in self.sudo():
            alias = aliases.get(ticket.team_id.id)
            if alias and ticket.reply_token:
                local, domain = alias.split("@", 1)
                result[ticket.id] = formataddr((ticket.display_name, "%s+t%s@%s" % (local, ticket.reply_token, domain)))
        return result

    def _process_attachments_for_post(self, attachments, attachment_ids, message_values):
        attachments, held = self._crm_plus_cap_attachments(attachments or [])
        result = super()._process_attachments_for_post(attachments, attachment_ids, message_values)
        if held and len(self) == 1:
            # kept on the ticket, outside the message (and its notification e-mails): nothing is lost
            self.env["ir.attachment"].sudo().create([{
                "name": name, "raw": content, "res_model": self._name, "res_id": self.id,
            } for name, content, *_info in held])
            names = ", ".join("%s (%.1f MB)" % (name, len(content) / 1048576.0) for name, content, *_i in held)
            self._message_log(body=self.env._(
                "%(count)s attachment(s) over the limit were kept on the ticket instead of the message: %(names)s",
                count=len(held), names=names))
        return result

    def _crm_plus_cap_attachments(self, attachments):
        """(attachments kept in the message, attachments held back) under the settings' count and size caps."""
        settings = self.env["res.config.settings"]
        max_count = settings._crm_plus_param("service_max_attachments")
        max_bytes = settings._crm_plus_param("service_max_attachment_mb") * 1048576
        kept, held = [], []
        for attachment in attachments:
            content = attachment[1] or b""
            if isinstance(content, str):
                content = content.encode()
            if (max_count and len(kept) >= max_count) or (max_bytes and len(content) > max_bytes):
                held.append((attachment[0], content))
            else:
                kept.append(attachment)
        return kept, held
