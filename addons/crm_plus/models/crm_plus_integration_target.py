from odoo import api, fields, models


class CrmPlusIntegrationTarget(models.Model):
    """Where events go: a WeCom, DingTalk or Feishu group robot, or a generic signed webhook."""

    _name = "crm_plus.integration.target"
    _description = "CRM Plus Integration Target"
    _order = "name, id"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("wecom", "WeCom Group Robot"), ("dingtalk", "DingTalk Group Robot"), ("feishu", "Feishu Group Robot"),
         ("webhook", "Generic Webhook")], string="Type", required=True, default="webhook")
    url = fields.Char(
        string="Webhook URL", required=True,
        help="The robot's webhook address (WeCom: with its key; DingTalk: with its access_token; Feishu: the hook "
             "address) or the receiver's URL.")
    secret = fields.Char(
        groups="crm_plus.group_crm_plus_integration_manager",
        help="DingTalk: the SEC… secret of the 'signed' security setting. Feishu: the signature secret. "
             "Webhook: the key of the HMAC-SHA256 signature. WeCom: not used (the key is in the URL).")
    connect_timeout = fields.Float(string="Connect Timeout (s)", default=5.0)
    read_timeout = fields.Float(string="Read Timeout (s)", default=10.0)
    max_tries = fields.Integer(
        default=8, help="A delivery that failed this many times is Dead: it keeps its last error and waits for "
                        "a person to retry it.")
    subscription_ids = fields.One2many("crm_plus.event.subscription", "target_id", string="Subscriptions")
    outbox_ids = fields.One2many("crm_plus.outbox", "target_id", string="Deliveries")
    pending_count = fields.Integer(compute="_compute_counts", string="Waiting")
    dead_count = fields.Integer(compute="_compute_counts", string="Dead")

    _sql_constraints = [
        ("tries_positive", "CHECK(max_tries > 0)", "A target is tried at least once."),
        ("timeouts_positive", "CHECK(connect_timeout > 0 AND read_timeout > 0)", "Timeouts must be positive."),
    ]

    @api.depends("outbox_ids.state")
    def _compute_counts(self):
        counts = {(target.id, state): count for target, state, count in self.env["crm_plus.outbox"]._read_group(
            [("target_id", "in", self.ids), ("state", "in", ("pending", "dead"))], ["target_id", "state"], ["__count"])}
        for target in self:
            target.pending_count = counts.get((target.id, "pending"), 0)
            target.dead_count = counts.get((target.id, "dead"), 0)

    def action_open_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus.action_crm_plus_outbox")
        action["domain"] = [("target_id", "=", self.id)]
        return action
