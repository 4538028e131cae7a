"""The ticket endpoints of the inbound API (same authentication, rate limit and idempotency as crm_plus's)."""

from odoo import http

from odoo.addons.crm_plus.controllers.api import PREFIX, CrmPlusApi


class CrmPlusServiceApi(CrmPlusApi):
    @http.route(PREFIX + "/tickets", type="http", auth="none", methods=["POST"], csrf=False,
                readonly=False, save_session=False)
    def create_ticket(self):
        return self._crm_plus_post("tickets", "_api_create_ticket")

    @http.route(PREFIX + "/tickets/<string:external_id>", type="http", auth="none", methods=["GET"], csrf=False,
                readonly=False, save_session=False)
    def get_ticket(self, external_id):
        return self._crm_plus_handle("tickets", "_api_lookup", "tickets", external_id)
