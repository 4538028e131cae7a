from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    """Integration settings: how long deliveries are kept."""

    _inherit = "res.config.settings"

    crm_plus_outbox_retention_days = fields.Integer(
        string="Keep Deliveries (days)", default=30, config_parameter="crm_plus.outbox_retention_days")
