"""Engagement on quotations: the "quotation unanswered" recipe reminds the salesperson once per quotation."""

from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _crm_plus_run_recipe(self, recipe):
        """Run an automation recipe on these orders (called by the recipe's automation rule)."""
        return self.env["crm_plus.engagement"]._crm_plus_run(recipe, self)

    def _crm_plus_replied(self):
        """Ids of the orders of ``self`` the customer answered: an incoming e-mail of one of the customer's
        people on the order after its date (one grouped query)."""
        if not self:
            return set()
        replied = set()
        groups = self.env["mail.message"].sudo()._read_group(
            [("model", "=", "sale.order"), ("res_id", "in", self.ids), ("message_type", "=", "email")],
            ["res_id", "author_id"], ["date:max"])
        orders = {order.id: order for order in self}
        for res_id, author, date in groups:
            order = orders[res_id]
            if author.commercial_partner_id == order.partner_id.commercial_partner_id and date >= order.date_order:
                replied.add(res_id)
        return replied

    def _crm_plus_recipe_targets(self, recipe):
        """[(order, occasion, customer, salesperson)]: quotations sent, unanswered, with a salesperson."""
        if recipe != "quotation":
            return []
        sent = self.filtered(lambda o: o.state == "sent" and o.user_id)
        replied = sent._crm_plus_replied()
        # one reminder per quotation and quotation date (a quotation re-dated and sent again is a new occasion)
        return [(order, "quotation-%s" % fields.Date.to_string(order.date_order.date()), order.partner_id,
                 order.user_id) for order in sent if order.id not in replied]

    def _crm_plus_recipe_send(self, recipe, occasion, partner, user):
        """A to-do for the salesperson: call the customer about the quotation."""
        self.ensure_one()
        summary = self.with_context(lang=user.lang or self.env.lang).env._(
            "Quotation %(name)s unanswered: follow up with %(customer)s", name=self.name,
            customer=partner.display_name)
        self.env["mail.activity"]._crm_plus_create_todos([(self, user, summary, None)])
        return self.env["mail.message"]
