from odoo import api, fields, models

DUPLICATE_MODES = [("off", "Ignore"), ("warn", "Warn"), ("block", "Block")]
# reason code -> (setting field, default mode)
DUPLICATE_SETTINGS = {
    "uscc": ("crm_plus_dup_mode_uscc", "block"),
    "vat": ("crm_plus_dup_mode_vat", "block"),
    "phone": ("crm_plus_dup_mode_phone", "warn"),
    "email": ("crm_plus_dup_mode_email", "warn"),
    "name_city": ("crm_plus_dup_mode_name", "warn"),
}


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    module_crm_plus_service = fields.Boolean(string="Service Tickets")
    module_crm_plus_reports = fields.Boolean(string="CRM Plus Reports")

    crm_plus_dup_mode_uscc = fields.Selection(
        DUPLICATE_MODES, string="Same USCC", default="block", required=True,
        config_parameter="crm_plus.dup_mode_uscc")
    crm_plus_dup_mode_vat = fields.Selection(
        DUPLICATE_MODES, string="Same Tax ID", default="block", required=True,
        config_parameter="crm_plus.dup_mode_vat")
    crm_plus_dup_mode_phone = fields.Selection(
        DUPLICATE_MODES, string="Same Phone", default="warn", required=True,
        config_parameter="crm_plus.dup_mode_phone")
    crm_plus_dup_mode_email = fields.Selection(
        DUPLICATE_MODES, string="Same Email", default="warn", required=True,
        config_parameter="crm_plus.dup_mode_email")
    crm_plus_dup_mode_name = fields.Selection(
        DUPLICATE_MODES, string="Same Name in the Same City", default="warn", required=True,
        config_parameter="crm_plus.dup_mode_name")
    crm_plus_renewal_days = fields.Integer(
        string="Renewal Notice (days)", default=30, config_parameter="crm_plus.renewal_days",
        help="A running contract becomes Expiring this many days before its end date.")
    crm_plus_contract_discount_threshold = fields.Float(
        string="Approval Above Discount (%)", default=20.0, config_parameter="crm_plus.contract_discount_threshold")
    crm_plus_contract_amount_limit = fields.Float(
        string="Approval Above Amount", default=100000.0, config_parameter="crm_plus.contract_amount_limit",
        help="0 disables the approval by amount.")
    crm_plus_contract_leader_limit = fields.Float(
        string="Team Leaders Approve Below", default=500000.0, config_parameter="crm_plus.contract_leader_limit",
        help="Above this amount only a sales manager approves a contract; 0 means no limit.")

    @api.model
    def _crm_plus_duplicate_modes(self):
        """{reason code: 'off'|'warn'|'block'} from the system parameters."""
        # configuration is readable by every user that saves a partner; only these keys are read
        params = self.env["ir.config_parameter"].sudo()
        return {
            reason: params.get_param("crm_plus.%s" % field[len("crm_plus_"):], default)
            for reason, (field, default) in DUPLICATE_SETTINGS.items()
        }

    crm_plus_churn_days = fields.Integer(
        string="Churn Risk After (days)", default=30, config_parameter="crm_plus.churn_days",
        help="A customer without any interaction for this many days is at churn risk; 0 disables.")
    crm_plus_dormant_days = fields.Integer(
        string="Dormant After (days)", default=90, config_parameter="crm_plus.dormant_days",
        help="A customer without any interaction for this many days is dormant; 0 disables.")
    crm_plus_high_value_threshold = fields.Float(
        string="High Value From", default=100000.0, config_parameter="crm_plus.high_value_threshold",
        help="Customers invoiced at least this much (company currency, last 365 days) are high value.")

    crm_plus_routing_fallback_team_id = fields.Many2one(
        "crm.team", string="Fallback Team", config_parameter="crm_plus.routing_fallback_team_id",
        help="Leads no routing rule can place wait here, unassigned.")
    crm_plus_routing_stale_hours = fields.Integer(
        string="Re-route After (hours)", default=24, config_parameter="crm_plus.routing_stale_hours",
        help="A routed lead nobody works on within this time goes to someone else once, then to the team "
             "leader. 0 disables re-routing.")
