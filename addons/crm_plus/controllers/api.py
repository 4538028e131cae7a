"""The inbound JSON API ``/api/crm_plus/v1/…`` (thin: the work is in ``crm_plus.api.client``).

Authentication: ``Authorization: Bearer <client token or Odoo API key>``; every answer is JSON; errors are
``{"error": code, "message": ..., "fields": {path: problem}}`` with the HTTP status that says it (400, 401,
403, 404, 409, 429). See docs/openapi.yaml.
"""

import json

from odoo import http
from odoo.http import request

from ..models.crm_plus_api_client import ApiError

PREFIX = "/api/crm_plus/v1"


class CrmPlusApi(http.Controller):
    @staticmethod
    def _json(status, body, headers=None):
        return request.make_response(json.dumps(body, ensure_ascii=False, default=str), status=status, headers=[
            ("Content-Type", "application/json; charset=utf-8"), *(headers or {}).items()])

    def _crm_plus_handle(self, scope, method, *args):
        """Authenticate, count the call, run ``crm_plus.api.client.<method>(*args)``, answer JSON."""
        Client = request.env["crm_plus.api.client"]
        try:
            client = Client._api_authenticate(request.httprequest.headers.get("Authorization"), scope)
            client._api_check_rate()
            result = getattr(client, method)(*args)
        except ApiError as error:
            return self._json(error.status, error.body, error.headers)
        if isinstance(result, tuple):
            status, body, replayed = result
            return self._json(200 if replayed else status, body, {"Idempotent-Replay": "true"} if replayed else None)
        return self._json(200, result)

    @staticmethod
    def _body():
        try:
            return json.loads(request.httprequest.get_data() or b"null")
        except ValueError:
            raise ApiError(400, {"error": "invalid_json", "message": "The body is not JSON."}) from None

    def _crm_plus_post(self, scope, method):
        try:
            data = self._body()
        except ApiError as error:
            return self._json(error.status, error.body)
        return self._crm_plus_handle(scope, method, data)

    @http.route(PREFIX + "/leads", type="http", auth="none", methods=["POST"], csrf=False,
                readonly=False, save_session=False)
    def create_lead(self):
        return self._crm_plus_post("leads", "_api_create_lead")

    @http.route(PREFIX + "/leads/<string:external_id>", type="http", auth="none", methods=["GET"], csrf=False,
                readonly=False, save_session=False)
    def get_lead(self, external_id):
        return self._crm_plus_handle("leads", "_api_lookup", "leads", external_id)

    @http.route(PREFIX + "/orders", type="http", auth="none", methods=["POST"], csrf=False,
                readonly=False, save_session=False)
    def push_order(self):
        return self._crm_plus_post("orders", "_api_push_order")

    @http.route(PREFIX + "/orders/<string:shop>/<string:external_id>", type="http", auth="none", methods=["GET"],
                csrf=False, readonly=False, save_session=False)
    def get_order(self, shop, external_id):
        return self._crm_plus_handle("orders", "_api_lookup", "orders", "%s/%s" % (shop, external_id))
