from odoo import api, fields, models, tools
from odoo.tools.safe_eval import safe_eval

from odoo.addons.base.models.res_partner import _lang_get

# event type -> the model its records belong to; crm_plus_service adds the ticket events
EVENT_MODELS = {
    "lead_assigned": "crm.lead",
    "lead_stage_changed": "crm.lead",
    "pool_warning": "res.partner",
    "churn_risk": "res.partner",
    "renewal_due": "crm_plus.contract",
    "instalment_overdue": "crm_plus.contract.instalment",
    "approval_requested": "crm_plus.contract",
}


class CrmPlusEventSubscription(models.Model):
    """Which events go to which target: an event type, an optional filter on its records, a language."""

    _name = "crm_plus.event.subscription"
    # the events listened to (_crm_plus_subscribed_events) are cached: they follow the event and active fields
    _inherit = ["crm_plus.cached.config.mixin"]
    _crm_plus_cache_ignored_fields = frozenset({"name", "domain", "lang", "target_id"})
    _description = "CRM Plus Event Subscription"
    _order = "event, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    event = fields.Selection(
        [("lead_assigned", "Lead Assigned"), ("lead_stage_changed", "Lead Stage Changed"),
         ("pool_warning", "Customer About to Return to the Pool"),
         ("churn_risk", "Churn Risk"), ("renewal_due", "Contract Renewal Due"),
         ("instalment_overdue", "Instalment Overdue"), ("approval_requested", "Contract Approval Requested")],
        required=True)
    model_name = fields.Char(compute="_compute_model_name", string="Model")
    domain = fields.Char(
        string="Filter", default="[]",
        help="Only the records matching this filter are sent (e.g. only leads of one team).")
    target_id = fields.Many2one("crm_plus.integration.target", string="Target", required=True, ondelete="cascade")
    lang = fields.Selection(_lang_get, string="Language", default=lambda self: self.env.lang or "en_US",
                            help="The language the message is written in.")

    @api.depends("event")
    def _compute_model_name(self):
        models_by_event = self._crm_plus_event_models()
        for sub in self:
            sub.model_name = models_by_event.get(sub.event)

    @api.model
    def _crm_plus_event_models(self):
        """{event: model}; extended by the addons that add events."""
        return dict(EVENT_MODELS)

    @api.model
    @tools.ormcache()
    def _crm_plus_subscribed_events(self):
        """The events some active subscription listens to (cached: emitting an event nobody listens to costs
        no query)."""
        groups = self.sudo()._read_group([("active", "=", True)], ["event"])
        return frozenset(event for (event,) in groups)

    def _crm_plus_filter(self, records):
        """The records of ``records`` matching this subscription's filter."""
        self.ensure_one()
        domain = safe_eval(self.domain or "[]")
        return records.filtered_domain(domain) if domain else records
