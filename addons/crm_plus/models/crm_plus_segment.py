"""Saved customer segments: a named domain over customers, counted in each user's data scope."""

import logging

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval

_logger = logging.getLogger(__name__)


class CrmPlusSegment(models.Model):
    """A named condition over customers: a list filter, a mass-mailing audience and an automation trigger."""

    _name = "crm_plus.segment"
    _description = "Customer Segment"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    domain = fields.Char(
        string="Conditions", required=True, default="[]",
        help="Which customers belong to the segment (tags, level, lifecycle, city...).")
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, index=True, default=lambda self: self.env.user,
        ondelete="cascade")
    shared = fields.Boolean(
        default=False,
        help="Everyone using CRM Plus sees a shared segment (each counting the customers of their own scope); "
             "a private one only its owner (and sales managers).")
    size = fields.Integer(
        string="Owner's Count", readonly=True, copy=False, groups="crm_plus.group_crm_plus_manager",
        help="Customers in the segment as its owner sees them, when last counted.")
    size_date = fields.Datetime(string="Last Counted", readonly=True, copy=False)
    my_size = fields.Integer(
        string="Customers", compute="_compute_my_size",
        help="Customers of the segment you see (your data scope). For your own segments: the last count.")
    automation_ids = fields.One2many("base.automation", compute="_compute_automation_ids", string="Automations")
    automation_count = fields.Integer(compute="_compute_automation_ids")
    mass_mailing_installed = fields.Boolean(compute="_compute_mass_mailing_installed")

    # ------------------------------------------------------------------------------------------------
    # computes and constraints
    # ------------------------------------------------------------------------------------------------

    @api.depends_context("uid")
    @api.depends("size", "user_id", "domain")
    def _compute_my_size(self):
        """The stored count for the owner; a count with the reader's rights for everyone else."""
        Partner = self.env["res.partner"]
        for segment in self:
            if segment.user_id == self.env.user and segment.size_date and segment.id:
                segment.my_size = segment.size
            else:
                segment.my_size = Partner.search_count(segment._crm_plus_domain()) if segment.domain else 0

    def _compute_automation_ids(self):
        """Automation rules whose filter names the segment (``crm_plus_segment_ids``)."""
        if not (self.env.su or self.env.user.has_group("base.group_system")):
            self.automation_ids = False
            self.automation_count = 0
            return
        rules = self.env["base.automation"].with_context(active_test=False).search(
            [("filter_domain", "ilike", "crm_plus_segment_ids")])
        # each rule's filter read once, whatever the number of segments
        named = {rule.id: self._crm_plus_segments_named(rule.filter_domain) for rule in rules}
        for segment in self:
            mine = rules.filtered(lambda r, s=segment: s.id and s.id in named[r.id])
            segment.automation_ids = mine
            segment.automation_count = len(mine)

    def _compute_mass_mailing_installed(self):
        self.mass_mailing_installed = "mailing.mailing" in self.env

    @api.constrains("domain")
    def _check_domain(self):
        Partner = self.env["res.partner"]
        for segment in self:
            try:
                Partner._search(segment._crm_plus_domain())
            except UserError:
                raise
            except Exception as exc:
                raise ValidationError(_("The conditions of segment %(name)s are not valid: %(error)s",
                                        name=segment.name, error=exc)) from exc

    # ------------------------------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------------------------------

    def action_open_customers(self):
        """The customers list, filtered by "In Segment" (a facet the user may remove or combine; the web client
        labels a default facet with its value: the segment's name, searched by name first)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus.action_crm_plus_customers")
        context = safe_eval(action.get("context") or "{}")
        context["search_default_crm_plus_segment_ids"] = self.name
        action.update(context=context, display_name=self.name, name=self.name)
        return action

    def action_refresh_size(self):
        """Count again now (as the owner: the stored count is the owner's)."""
        self._crm_plus_store_sizes()
        return True

    def action_mass_mailing(self):
        """A new mailing to the customers of the segment, when Email Marketing is installed."""
        self.ensure_one()
        if "mailing.mailing" not in self.env:
            raise UserError(_("Install Email Marketing (mass_mailing) to send a mailing to a segment."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_mailing_model_id": self.env["ir.model"]._get_id("res.partner"),
                "default_mailing_domain": repr([("crm_plus_segment_ids", "in", [self.id])]),
                "default_subject": self.name,
            },
        }

    def action_create_automation(self):
        """A new automation rule on customers whose filter is this segment (administrators)."""
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise UserError(_("Only administrators create automation rules."))
        rule = self.env["base.automation"].create({
            "name": _("Customers entering %(segment)s", segment=self.name),
            "model_id": self.env["ir.model"]._get_id("res.partner"),
            "trigger": "on_create_or_write",
            "filter_domain": repr([("crm_plus_segment_ids", "in", [self.id])]),
            "active": False,
        })
        return {"type": "ir.actions.act_window", "res_model": "base.automation", "res_id": rule.id,
                "view_mode": "form", "target": "current"}

    def action_view_automations(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "base.automation", "name": _("Automations"),
                "view_mode": "list,form", "domain": [("id", "in", self.automation_ids.ids)],
                "context": {"active_test": False}}

    # ------------------------------------------------------------------------------------------------
    # business
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_domain(self, depth=0):
        """The segment's conditions as a domain over res.partner (segments it uses expanded)."""
        self.ensure_one()
        context = {
            "uid": self.env.uid, "context_today": lambda: fields.Date.context_today(self),
            "datetime": safe_datetime, "relativedelta": relativedelta, "current_date": fields.Date.today(),
        }
        try:
            domain = safe_eval(self.domain or "[]", context)
        except Exception as exc:
            raise ValidationError(_("The conditions of segment %(name)s are not valid: %(error)s",
                                    name=self.name, error=exc)) from exc
        Partner = self.env["res.partner"]
        expanded = []
        for leaf in domain:
            if isinstance(leaf, list | tuple) and len(leaf) == 3 and leaf[0] == "crm_plus_segment_ids":
                # the depth counts segments: the leaf of this segment is at its depth
                expanded.extend(Partner._crm_plus_segment_leaf_domain(leaf[1], leaf[2], depth))
            else:
                expanded.append(tuple(leaf) if isinstance(leaf, list) else leaf)
        return expanded

    @api.model
    def _crm_plus_segments_named(self, domain_text):
        """The ids of the segments ``domain_text`` (an automation's filter) names with crm_plus_segment_ids."""
        try:
            domain = safe_eval(domain_text or "[]", {"uid": self.env.uid})
        except Exception:  # noqa: BLE001 - a filter we cannot read names no segment
            return set()
        ids = set()
        for leaf in domain:
            if isinstance(leaf, list | tuple) and len(leaf) == 3 and leaf[0] == "crm_plus_segment_ids":
                ids.update(leaf[2] if isinstance(leaf[2], list | tuple) else [leaf[2]])
        return ids

    def _crm_plus_store_sizes(self):
        """Count each segment as its owner and store it (the owner's rights decide what counts)."""
        now = fields.Datetime.now()
        for segment in self:
            owner = segment.user_id
            # counted as the owner: a manager refreshing someone's private segment stores the owner's count
            try:
                size = self.env["res.partner"].with_user(owner).search_count(segment._crm_plus_domain())
            except (AccessError, UserError, ValidationError) as exc:
                _logger.warning("crm_plus segment %s not counted: %s", segment.id, exc)
                continue
            self.env.cr.execute(SQL(
                "UPDATE crm_plus_segment SET size = %s, size_date = %s WHERE id = %s", size, now, segment.id))
        self.invalidate_recordset(["size", "size_date", "my_size"])

    # ------------------------------------------------------------------------------------------------
    # cron
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _cron_refresh_sizes(self, batch_size=20):
        """Count every active segment again, oldest count first; each batch claimed (two hosts count a
        segment once). Idempotent: a rerun counts again, nothing else."""
        Cron = self.env["ir.cron"]
        segments = self.sudo().search([("domain", "!=", False)], order="size_date asc nulls first, id")

        def count(batch):
            batch = Cron._crm_plus_claim(batch)
            batch._crm_plus_store_sizes()
            return len(batch)

        return Cron._crm_plus_run_batches("segment sizes", segments, count, batch_size)
