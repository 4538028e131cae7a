"""Tickets created through the inbound API: the sender matched to a customer as an e-mail would be."""

from odoo import models

from odoo.addons.crm_plus.models.crm_plus_api_client import ApiError
from odoo.addons.crm_plus.tools import api_payload


class CrmPlusApiClient(models.Model):
    _inherit = "crm_plus.api.client"

    def _api_create_ticket(self, data):
        self.ensure_one()
        clean, errors = api_payload.validate(api_payload.TICKET_SPEC, data)
        if errors:
            raise ApiError(400, {"error": "validation", "message": "Some fields are invalid.", "fields": errors})

        def work():
            # in the integration user's name, after the client's scope check (see crm_plus_api_intake.py)
            env = self._api_env()
            Ticket = env["crm_plus.ticket"]
            sender = clean["email"] if not clean.get("name") else '"%s" <%s>' % (clean["name"], clean["email"])
            partner = Ticket._crm_plus_find_sender(sender, create=True)
            ticket = Ticket.create({"name": clean["subject"], "description": clean.get("description"),
                                    "partner_id": partner.id, "channel": "api",
                                    "company_id": self.company_id.id})
            body = {"id": ticket.id, "name": ticket.display_name, "external_id": clean["external_id"],
                    "model": "crm_plus.ticket", "partner_id": partner.id, "team_id": ticket.team_id.id or None}
            return 201, body, ticket

        return self._api_call("tickets", clean["external_id"], work)
