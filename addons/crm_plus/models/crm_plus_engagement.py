"""The engagement ledger: each automation recipe sent once per record and occasion, and the recipes' engine."""

import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

RECIPES = [
    ("care", "No Contact for 30 Days"),
    ("quotation", "Quotation Unanswered"),
    ("high_intent", "High Intent"),
    ("birthday", "Birthday Greeting"),
    ("renewal", "Contract Renewal"),
]
# recipe -> the base.automation record that runs it (switched on and off in the settings)
RECIPE_AUTOMATIONS = {recipe: "crm_plus.automation_recipe_%s" % recipe for recipe, _label in RECIPES}
# recipe -> the mail template sent to the customer (the quotation reminder is a to-do for the salesperson)
RECIPE_TEMPLATES = {
    "care": "crm_plus.mail_template_recipe_care",
    "high_intent": "crm_plus.mail_template_recipe_high_intent",
    "birthday": "crm_plus.mail_template_recipe_birthday",
    "renewal": "crm_plus.mail_template_recipe_renewal",
}


class CrmPlusEngagement(models.Model):
    """One row per recipe, record and occasion sent: the unique index makes a second send impossible."""

    _name = "crm_plus.engagement"
    _description = "Engagement Ledger"
    _order = "id desc"
    _rec_name = "occasion"

    recipe = fields.Selection(RECIPES, required=True, readonly=True, index=True)
    model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(string="Document", model_field="model", required=True, readonly=True)
    occasion = fields.Char(required=True, readonly=True,
                           help="What the recipe was sent for: a month, a year, a date, a quotation...")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, index=True, ondelete="set null")
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, ondelete="set null")
    message_id = fields.Many2one("mail.message", string="Message", readonly=True, ondelete="set null")

    _sql_constraints = [
        ("occasion_unique", "UNIQUE(recipe, model, res_id, occasion)",
         "A recipe is sent once per record and occasion."),
    ]

    # ------------------------------------------------------------------------------------------------
    # business
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_record(self, recipe, targets):
        """Record ``targets`` ([(record, occasion, partner, user)]) for ``recipe``; returns the ledger rows
        newly written, in the order of ``targets``. A target already recorded (by a previous run, or by
        another host now: the insert waits for its transaction) gets no row: the caller sends only for
        the rows returned, in the same transaction, so a send is never lost nor doubled."""
        if not targets:
            return self.browse()
        now = fields.Datetime.now()
        rows = SQL(", ").join(
            SQL("(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", recipe, record._name, record.id, occasion,
                partner.id or None, user.id or None, self.env.uid, now, self.env.uid, now)
            for record, occasion, partner, user in targets)
        self.env.cr.execute(SQL(
            """INSERT INTO crm_plus_engagement (recipe, model, res_id, occasion, partner_id, user_id,
                                                create_uid, create_date, write_uid, write_date)
               VALUES %s
               ON CONFLICT (recipe, model, res_id, occasion) DO NOTHING
               RETURNING id, model, res_id""", rows))
        new = {(model, res_id): row_id for row_id, model, res_id in self.env.cr.fetchall()}
        return self.browse([new[record._name, record.id] for record, *_rest in targets
                            if (record._name, record.id) in new])

    @api.model
    def _crm_plus_run(self, recipe, records):
        """Run ``recipe`` on ``records``: the due ones not opted out, not yet sent for their occasion.

        ``records._crm_plus_recipe_targets(recipe)`` says which are due, for which occasion, to which
        customer and salesperson; the ledger rows are written, then each is sent
        (``_crm_plus_recipe_send``) in the same transaction. Returns the ledger rows written.
        """
        # the recipes run from automation rules (as the system) and from crons; the ledger is no user's
        Ledger = self.sudo()
        # a recipe that e-mails the customer respects their opt-out (the quotation reminder is a to-do)
        targets = [target for target in records.sudo()._crm_plus_recipe_targets(recipe)
                   if recipe not in RECIPE_TEMPLATES or not target[2]._crm_plus_engagement_opted_out()]
        rows = Ledger._crm_plus_record(recipe, targets)
        by_key = {(row.model, row.res_id): row for row in rows}
        for record, occasion, partner, user in targets:
            row = by_key.get((record._name, record.id))
            if row:
                message = record.sudo()._crm_plus_recipe_send(recipe, occasion, partner, user)
                if message:
                    row.message_id = message[:1]
        if rows:
            _logger.info("crm_plus recipe %s: %d sent", recipe, len(rows))
        return rows

    @api.model
    def _crm_plus_send_template(self, recipe, record):
        """Post the recipe's template on ``record`` to its recipients (rendered in their language).

        An automated message (not a comment): it is no interaction with the customer for the lifecycle,
        and the chatter names the recipients without their address.
        """
        template = self.env.ref(RECIPE_TEMPLATES[recipe], raise_if_not_found=False)
        if not template:
            return self.env["mail.message"]
        return record.with_context(mail_notify_force_send=False, mail_auto_subscribe_no_notify=True) \
            .message_post_with_source(template, message_type="auto_comment", subtype_xmlid="mail.mt_comment")
