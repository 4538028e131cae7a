from odoo import api, fields, models

DUPLICATE_MODES = [("off", "Ignore"), ("warn", "Warn"), ("block", "Block")]
# duplicate reason code -> the setting (crm_plus_<name>) that says whether it warns or blocks
DUPLICATE_SETTINGS = {
    "uscc": "dup_mode_uscc",
    "vat": "dup_mode_vat",
    "phone": "dup_mode_phone",
    "email": "dup_mode_email",
    "name_city": "dup_mode_name",
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

    def set_values(self):
        res = super().set_values()
        # Odoo saves a numeric setting of 0 as "not set", so its default would come back; for CRM Plus
        # 0 means "off" (no approval by amount, no churn flag, no re-routing...): keep an explicit 0
        # likewise an unticked boolean whose default is True is kept as an explicit "False"
        params = self.env["ir.config_parameter"].sudo()
        explicit = {"integer": "0", "float": "0", "boolean": "False"}
        for name, field in self._fields.items():
            parameter = getattr(field, "config_parameter", None)
            if name.startswith("crm_plus_") and parameter and field.type in explicit and not self[name]:
                params.set_param(field.config_parameter, explicit[field.type])
        return res

    @api.model
    def get_values(self):
        res = super().get_values()
        # Odoo reads any stored text of a boolean setting as True: read ours as _crm_plus_param does
        for name, field in self._fields.items():
            if name.startswith("crm_plus_") and field.type == "boolean" and getattr(field, "config_parameter", None):
                res[name] = self._crm_plus_param(name[len("crm_plus_"):])
        return res

    @api.model
    def _crm_plus_param(self, name):
        """The CRM Plus setting ``crm_plus_<name>`` as the settings form stores it, typed, with the
        form's default when it was never saved (so each default is written once, on its field)."""
        field = self._fields["crm_plus_%s" % name]
        # settings are read by crons and by every user saving a partner, lead or contract: only
        # this one crm_plus.* key is read
        raw = self.env["ir.config_parameter"].sudo().get_param(field.config_parameter)
        if raw in (None, False, ""):
            value = field.default(self) if field.default else False
            return self.env[field.comodel_name] if field.type == "many2one" and not value else value
        if field.type == "integer":
            return int(raw)
        if field.type == "float":
            return float(raw)
        if field.type == "many2one":
            return self.env[field.comodel_name].browse(int(raw)).exists()
        if field.type == "boolean":
            return raw not in ("False", "0")
        return raw

    @api.model
    def _crm_plus_duplicate_modes(self):
        """{reason code: 'off'|'warn'|'block'} from the settings."""
        return {reason: self._crm_plus_param(name) for reason, name in DUPLICATE_SETTINGS.items()}

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

    # customer pool (公海) and reminders
    crm_plus_pool_warning_days = fields.Integer(
        string="Warn Before Return (days)", default=3, config_parameter="crm_plus.pool_warning_days",
        help="The salesperson gets one to-do this many days before a customer returns to the pool; 0 disables.")
    crm_plus_max_owned_customers = fields.Integer(
        string="Max Customers per Salesperson", default=0, config_parameter="crm_plus.max_owned_customers",
        help="Claims and assignments beyond this number of customers are refused; 0: no cap.")
    crm_plus_max_locked_customers = fields.Integer(
        string="Max Locked Customers per Salesperson", default=10, config_parameter="crm_plus.max_locked_customers",
        help="Locked customers never return to the pool; 0: no cap.")
    crm_plus_birthday_reminder_days = fields.Integer(
        string="Birthday Reminder (days before)", default=3, config_parameter="crm_plus.birthday_reminder_days",
        help="The salesperson gets a to-do this many days before a contact's birthday; 0: on the day.")
    crm_plus_return_visit_days = fields.Integer(
        string="Return Visit After (days)", default=7, config_parameter="crm_plus.return_visit_days",
        help="A return visit (回访) is planned this many days after an order is confirmed; 0 disables.")

    # data scopes: who sees the phone and e-mail of customers outside their own scope (docs/data-scopes.md)
    crm_plus_mask_sales_user = fields.Boolean(
        string="Hide from Salespeople", default=True, config_parameter="crm_plus.mask_sales_user",
        help="Salespeople see the phone and e-mail of their own customers only; those of customer pool (公海) "
             "customers and of other salespeople's contacts show as 138****5678.")
    crm_plus_mask_team_leader = fields.Boolean(
        string="Hide from Team Leaders", default=False, config_parameter="crm_plus.mask_team_leader",
        help="Team leaders see the phone and e-mail of their teams' customers only.")
    crm_plus_mask_finance = fields.Boolean(
        string="Hide from Finance", default=False, config_parameter="crm_plus.mask_finance",
        help="Finance users see customers and their money, but not their phone and e-mail.")
