"""After-sale surveys: the survey of the settings sent once an order is fully delivered."""

import logging

from odoo import api, fields, models
from odoo.tools import SQL, float_compare
from odoo.tools.sql import column_exists, create_column

_logger = logging.getLogger(__name__)
PRECOMMIT_KEY = "crm_plus.survey.delivered_orders"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    crm_plus_delivered = fields.Boolean(
        string="Fully Delivered", compute="_compute_crm_plus_delivered", store=True, copy=False,
        help="A confirmed order whose every product line has its ordered quantity delivered (by the delivery "
             "orders, or as entered on the lines when the company does not use them).")

    def _auto_init(self):
        # installing on a database with many orders: the flag is set by one UPDATE, not computed order by order
        if not column_exists(self.env.cr, "sale_order", "crm_plus_delivered"):
            create_column(self.env.cr, "sale_order", "crm_plus_delivered", "boolean")
            self._crm_plus_init_delivered()
        return super()._auto_init()

    def _crm_plus_init_delivered(self):
        """Set the flag of every order in SQL, as ``_compute_crm_plus_delivered`` computes it (a line's quantity
        is delivered within half its unit's rounding, as ``float_compare`` decides)."""
        self.env.cr.execute(SQL("""
            UPDATE sale_order o
               SET crm_plus_delivered = o.state = 'sale'
                   AND EXISTS (SELECT 1 FROM sale_order_line l
                                WHERE l.order_id = o.id AND l.display_type IS NULL AND l.product_uom_qty > 0)
                   AND NOT EXISTS (
                       SELECT 1 FROM sale_order_line l
                    LEFT JOIN uom_uom u ON u.id = l.product_uom
                        WHERE l.order_id = o.id AND l.display_type IS NULL AND l.product_uom_qty > 0
                          AND COALESCE(l.qty_delivered, 0) - l.product_uom_qty
                              < -COALESCE(NULLIF(u.rounding, 0), 0.01) / 2)
        """))

    @api.depends("state", "order_line.qty_delivered", "order_line.product_uom_qty", "order_line.display_type")
    def _compute_crm_plus_delivered(self):
        for order in self:
            lines = order.order_line.filtered(lambda line: not line.display_type and line.product_uom_qty > 0)
            order.crm_plus_delivered = order.state == "sale" and bool(lines) and all(
                float_compare(line.qty_delivered, line.product_uom_qty,
                              precision_rounding=line.product_uom.rounding or 0.01) >= 0
                for line in lines)

    def _write_multi(self, vals_list):
        # the flag is a stored compute, written here however the delivered quantities changed (a delivery
        # order validated, a line edited): the survey goes out before the transaction commits
        delivered = [order.id for order, vals in zip(self, vals_list, strict=True) if vals.get("crm_plus_delivered")]
        if delivered:
            self._crm_plus_survey_on_commit(delivered)
        return super()._write_multi(vals_list)

    def _crm_plus_survey_on_commit(self, order_ids):
        precommit = self.env.cr.precommit
        pending = precommit.data.setdefault(PRECOMMIT_KEY, set())
        if not pending:
            env = self.env

            @precommit.add
            def send_surveys():
                ids = precommit.data.pop(PRECOMMIT_KEY, set())
                try:
                    with env.cr.savepoint():
                        env["sale.order"].browse(sorted(ids)).exists()._crm_plus_send_delivery_survey()
                        env.flush_all()
                except Exception:  # a survey never blocks the delivery that triggers it
                    _logger.exception("After-sale survey of orders %s not sent", sorted(ids))
        pending.update(order_ids)

    def _crm_plus_send_delivery_survey(self):
        """Send the after-delivery survey of the settings once per order (see crm_plus.survey.request)."""
        survey = self.env["res.config.settings"]._crm_plus_param("survey_delivery_id")
        orders = self.filtered("crm_plus_delivered")
        return self.env["crm_plus.survey.request"]._crm_plus_send(survey, orders, lambda order: {
            "partner_id": order.partner_id.commercial_partner_id.id,
            "contact_id": order.partner_id.id,
            "user_id": order.user_id.id,
            "team_id": order.team_id.id,
            "company_id": order.company_id.id,
        })
