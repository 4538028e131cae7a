"""Incoming e-mail routing: replies to tickets found by their reply-to token or subject tag first."""

from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def message_route(self, message, message_dict, model=None, thread_id=None, custom_values=None):
        if not message_dict.get("is_bounce"):
            routes = self.env["crm_plus.ticket"]._crm_plus_mail_routes(message, message_dict)
            if routes is not None:
                return routes
        return super().message_route(message, message_dict, model=model, thread_id=thread_id,
                                     custom_values=custom_values)
