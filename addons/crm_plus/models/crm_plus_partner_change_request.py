from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .res_partner_identity_lock import IDENTITY_FIELDS


class CrmPlusPartnerChangeRequest(models.Model):
    """A proposed change of a locked customer's identity fields, approved or rejected by a data steward."""

    _name = "crm_plus.partner.change.request"
    _description = "Customer Identity Change Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, id desc"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    requested_by_id = fields.Many2one("res.users", string="Requested by", required=True, readonly=True,
                                      default=lambda self: self.env.user)
    changes = fields.Json(string="Proposed Values", readonly=True, help="{field: [old value, new value]}")
    changes_html = fields.Html(string="Changes", compute="_compute_changes_html", sanitize=True)
    reason = fields.Text(string="Why", help="Why the change is needed (a new business licence, a move...).")
    state = fields.Selection(
        [("pending", "To Approve"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="pending", required=True, index=True, tracking=True, string="Status")
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    decided_by_id = fields.Many2one("res.users", string="Decided by", readonly=True)
    decided_on = fields.Datetime(readonly=True)
    rejection_reason = fields.Text(readonly=True)
    company_id = fields.Many2one(related="partner_id.company_id", store=True)

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"pending": 1, "approved": 2, "rejected": 3}
        for request in self:
            request.state_sequence = order.get(request.state, 9)

    @api.depends("changes")
    def _compute_changes_html(self):
        Partner = self.env["res.partner"]
        for request in self:
            rows = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td><b>%s</b></td></tr>")
                % (Partner._fields[f].get_description(self.env)["string"] if f in Partner._fields else f,
                   old or "", new or "")
                for f, (old, new) in (request.changes or {}).items()
            )
            request.changes_html = Markup(
                '<table class="table table-sm"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead>'
                "<tbody>%s</tbody></table>") % (_("Field"), _("Now"), _("Proposed"), rows)

    @api.depends("partner_id")
    def _compute_display_name(self):
        for request in self:
            request.display_name = _("Change of %(partner)s", partner=request.partner_id.display_name)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.update(state="pending", requested_by_id=self.env.uid)  # never created already decided
        self._check_proposal(vals_list)
        requests = super().create(vals_list)
        requests._notify_stewards()
        return requests

    @api.model
    def _check_proposal(self, vals_list):
        """A change is proposed on a customer the requester may read, for its identity fields only (the
        salesperson, the pool and the rest have their own paths)."""
        if self.env.su:
            return
        Partner = self.env["res.partner"]
        Partner.browse({vals["partner_id"] for vals in vals_list if vals.get("partner_id")}).check_access("read")
        for vals in vals_list:
            other = set(vals.get("changes") or {}) - set(IDENTITY_FIELDS)
            if other or not isinstance(vals.get("changes") or {}, dict):
                raise UserError(_("A change request proposes new identity data only (name, tax ids, address, "
                                  "phone, e-mail, invoice details), not %(fields)s.",
                                  fields=", ".join(sorted(map(str, other)))))

    def _notify_stewards(self):
        """A to-do for the first data steward and a note on the customer.

        The requester may only create requests (no write access on them, so that nobody approves their
        own change over RPC); the activity and the notes are written by the system on their behalf.
        """
        stewards = self.env.ref("crm_plus.group_crm_plus_data_steward").sudo().users.filtered(
            lambda u: not u.share and u.active)
        steward = stewards.sorted("id")[:1]
        for request in self.sudo():
            if steward:
                request.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=steward.id,
                    summary=_("Approve the change of %(partner)s", partner=request.partner_id.display_name))
            request.partner_id.message_post(
                body=_("%(user)s proposed a change of identity data.", user=request.requested_by_id.name),
                subtype_xmlid="mail.mt_note")

    def _check_steward(self):
        if not self.env["res.partner"]._crm_plus_may_edit_identity():
            raise UserError(_("Only a data steward can approve or reject a change of identity data."))

    def action_approve(self):
        self._check_steward()
        for request in self:
            if request.state != "pending":
                raise UserError(_("This request was already decided."))
            vals = request._values_to_write()
            request.partner_id.write(vals)
            request.write({"state": "approved", "decided_by_id": self.env.uid, "decided_on": fields.Datetime.now()})
            request.activity_feedback(["mail.mail_activity_data_todo"], feedback=_("Approved"))
            request.message_post(body=_("Approved and applied."), subtype_xmlid="mail.mt_note")

    def action_reject(self, reason=None):
        self._check_steward()
        for request in self:
            if request.state != "pending":
                raise UserError(_("This request was already decided."))
            request.write({"state": "rejected", "decided_by_id": self.env.uid, "decided_on": fields.Datetime.now(),
                           "rejection_reason": reason})
            request.activity_feedback(["mail.mail_activity_data_todo"], feedback=_("Rejected"))
            request.message_post(body=_("Rejected: %(reason)s", reason=reason or "-"), subtype_xmlid="mail.mt_note",
                                 partner_ids=request.requested_by_id.partner_id.ids)

    def _values_to_write(self):
        """The proposed values in write() form (many2one names back to ids)."""
        self.ensure_one()
        Partner = self.env["res.partner"]
        vals = {}
        for fname, (_old, new) in (self.changes or {}).items():
            field = Partner._fields[fname]
            if field.type == "many2one":
                vals[fname] = new[0] if new else False
            else:
                vals[fname] = new or False
        return vals
