"""Overdue instalments emitted once each to robots and webhooks (the instalment's state is computed, so a
daily cron finds those that became overdue and marks them in the same transaction as their event)."""

from odoo import api, fields, models
from odoo.tools import SQL


class CrmPlusContractInstalment(models.Model):
    _inherit = "crm_plus.contract.instalment"

    overdue_event_date = fields.Date(
        readonly=True, copy=False, index="btree_not_null",
        help="When the 'instalment overdue' event was emitted for this instalment (once).")

    @api.model
    def _cron_emit_overdue(self, batch_size=500):
        """Emit ``instalment_overdue`` for each overdue instalment not emitted yet; nothing when nobody
        subscribes (the instalments overdue then are emitted once someone does)."""
        if "instalment_overdue" not in self.env["crm_plus.event.subscription"]._crm_plus_subscribed_events():
            return 0
        overdue = self.search([("state", "=", "overdue"), ("overdue_event_date", "=", False)], order="id")
        today = fields.Date.context_today(self)

        def process(batch):
            # claimed with a row lock: a second host running the cron skips them, its rerun finds them marked
            batch = self.env["ir.cron"]._crm_plus_claim(batch, SQL("overdue_event_date IS NULL"))
            batch.write({"overdue_event_date": today})
            return len(self.env["crm_plus.outbox"]._crm_plus_emit("instalment_overdue", batch))

        return self.env["ir.cron"]._crm_plus_run_batches("overdue instalment events", overdue, process, batch_size)
