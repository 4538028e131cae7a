from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def _crm_plus_sees_all(self, mode):
        # service agents and managers keep reading the customers of their tickets, whoever owns them
        return super()._crm_plus_sees_all(mode) or (
            mode == "read" and self.has_group("crm_plus_service.group_crm_plus_service_agent"))

    def _crm_plus_never_masked(self):
        # and they call and write to those customers
        return super()._crm_plus_never_masked() or self.has_group("crm_plus_service.group_crm_plus_service_agent")
