"""Engagement on contracts: the renewal recipe, one renewal reminder with the contract's own."""

from odoo import fields, models


class CrmPlusContract(models.Model):
    _inherit = "crm_plus.contract"

    def _crm_plus_run_recipe(self, recipe):
        """Run an automation recipe on these contracts (called by the recipe's automation rule)."""
        return self.env["crm_plus.engagement"]._crm_plus_run(recipe, self)

    def _crm_plus_recipe_targets(self, recipe):
        """[(contract, occasion, customer, salesperson)]: running contracts not ended yet (when: the rule's
        delay before the end date decides)."""
        if recipe != "renewal":
            return []
        today = fields.Date.context_today(self)
        due = self.filtered(lambda c: c.state in ("running", "expiring") and c.date_end and c.date_end >= today)
        # the salesperson's reminder is the contract's own (opportunity, to-do, e-mail): made here when the
        # rule runs first, skipped by the contract's cron then (and the other way round); never two
        due._create_renewal_leads()
        return [(contract, "ends-%s" % fields.Date.to_string(contract.date_end), contract.partner_id,
                 contract.user_id) for contract in due]

    def _crm_plus_recipe_send(self, recipe, occasion, partner, user):
        """The renewal reminder to the customer."""
        self.ensure_one()
        return self.env["crm_plus.engagement"]._crm_plus_send_template(recipe, self)
