"""Settings of customer engagement: each automation recipe on or off, the birthday coupon."""

from odoo import api, fields, models

from .crm_plus_engagement import RECIPE_AUTOMATIONS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_plus_recipe_care = fields.Boolean(
        string="Care E-mail After 30 Days Without Contact",
        help="An e-mail to the customer and a to-do for the salesperson, once per silence.")
    crm_plus_recipe_quotation = fields.Boolean(
        string="Remind Unanswered Quotations",
        help="A to-do for the salesperson when a sent quotation has no answer after 5 days.")
    crm_plus_recipe_high_intent = fields.Boolean(
        string="Product Introduction at High Intent",
        help="An e-mail to the customer when they get the purchase-stage tag High Intent (once a year).")
    crm_plus_recipe_birthday = fields.Boolean(
        string="Birthday Greeting", help="An e-mail to the contact on their birthday.")
    crm_plus_recipe_renewal = fields.Boolean(
        string="Renewal Reminder to the Customer",
        help="An e-mail to the customer when their contract enters the renewal notice.")
    crm_plus_birthday_coupon = fields.Char(
        string="Birthday Coupon Code", config_parameter="crm_plus.birthday_coupon",
        help="Offered in the birthday greeting when set.")

    @api.model
    def get_values(self):
        res = super().get_values()
        for recipe, xmlid in RECIPE_AUTOMATIONS.items():
            rule = self.env.ref(xmlid, raise_if_not_found=False)
            res["crm_plus_recipe_%s" % recipe] = bool(rule and rule.sudo().active)
        return res

    def set_values(self):
        res = super().set_values()
        for recipe, xmlid in RECIPE_AUTOMATIONS.items():
            rule = self.env.ref(xmlid, raise_if_not_found=False)
            wanted = self["crm_plus_recipe_%s" % recipe]
            # the settings are saved by administrators only; base.automation is theirs to write
            if rule and rule.sudo().active != wanted:
                rule.sudo().active = wanted
        return res
