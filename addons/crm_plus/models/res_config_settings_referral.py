"""The setting of referral rewards: the loyalty program whose coupons reward referring customers."""

from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_plus_referral_program_id = fields.Selection(
        selection="_crm_plus_referral_programs", string="Referral Coupon Program",
        config_parameter="crm_plus.referral_program_id",
        help="When the Loyalty app is installed: a referring customer gets a coupon of this program when the deal "
             "they referred is won. Empty: a to-do for their salesperson.")

    @api.model
    def _crm_plus_referral_programs(self):
        """The active coupon programs of Odoo's loyalty app (none when it is not installed)."""
        if "loyalty.program" not in self.env:
            return []
        programs = self.env["loyalty.program"].sudo().search(
            [("program_type", "in", ("coupons", "next_order_coupons"))])
        return [(str(program.id), program.name) for program in programs]
