"""Integration users (the users of API clients): API keys only, never a login to the web client."""

from odoo import models
from odoo.exceptions import AccessDenied


class ResUsers(models.Model):
    _inherit = "res.users"

    def _rpc_api_keys_only(self):
        # a password never opens RPC for an integration user: only its API keys do
        return self._crm_plus_integration_only() or super()._rpc_api_keys_only()

    def _check_credentials(self, credential, user_agent_env):
        # interactive means the login screen (web client, mobile app): an integration user has nothing to do
        # there. Refused like a wrong password, before the password is checked: the answer tells nothing.
        if (user_agent_env or {}).get("interactive", True) and self.env.user._crm_plus_integration_only():
            raise AccessDenied()
        return super()._check_credentials(credential, user_agent_env)
