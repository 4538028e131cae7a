from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.masking import mask_email, mask_value

# context keys the display name may depend on without adding anything about the record itself
_NEUTRAL_CONTEXT = {"lang", "uid", "tz", "company", "allowed_company_ids", "active_test"}


class CrmPlusContactMaskMixin(models.AbstractModel):
    """Phone numbers and e-mail addresses shown masked (138****5678, z***@example.com) to users whose
    role is set to not see the contact details of customers outside their own scope (settings).

    Which records are masked for a user is one domain per model (``_crm_plus_masked_domain``, built from
    the user's sales scope), and every path uses it: values are masked where they leave the server
    (``_read_format``: read, search_read, web_read, web_search_read, many2one and x2many sub-reads;
    ``_export_rows``; ``onchange``; the display name under any context key; mail, see mail_message.py and
    mail_tracking_value.py); grouping or aggregating a masked field is refused to a masked user
    (``_read_group_groupby`` / ``_read_group_select``); a search leaf on a masked field matches only the
    records whose value the user sees (``_search``). Server code reading the fields directly (duplicate
    checks, e-mails sent by the system) keeps the real values. A masked user cannot write the masked
    fields, so a masked value never replaces a real one.
    """

    _name = "crm_plus.contact.mask.mixin"
    _description = "CRM Plus Contact Masking"

    # field name -> "phone" | "email": how its value is masked (fields missing on the model are skipped)
    _crm_plus_masked_fields = {}

    crm_plus_contact_masked = fields.Boolean(
        string="Contact Details Hidden", compute="_compute_crm_plus_contact_masked",
        help="The phone and e-mail of this customer are hidden from you: it belongs to another salesperson "
             "or waits in a customer pool (公海).")

    @api.depends_context("uid")
    def _compute_crm_plus_contact_masked(self):
        masked = self._origin._crm_plus_masked_ids()
        for record in self:
            record.crm_plus_contact_masked = record._origin.id in masked

    def _crm_plus_masked_ids(self, even_sudo=False):
        """Ids of the records of ``self`` whose contact details the current user must not see.

        ``even_sudo``: decide for the real user also in a sudo environment (display names are computed as
        the system when a many2one is read)."""
        # records of a form (onchange) are new records: their origin decides
        records = self._origin.browse(i for i in self._origin.ids if isinstance(i, int))
        if (self.env.su and not even_sudo) or not records:
            return set()
        query = self._crm_plus_masked_query()
        if query is None:
            return set()
        # the masked domain is decided for the user (above); the records are read as the system, ids of self only
        found = self.sudo().with_context(active_test=False)._search([("id", "in", records.ids), ("id", "in", query)])
        return set(found)

    def _crm_plus_masked_query(self):
        """A Query of the records whose contact details the current user must not see; None when the user
        sees them all (their role is not masked)."""
        scope = self.env.user._crm_plus_contact_scope()
        if scope is None:
            return None
        # the masked set depends on owners, teams and pools the user may not read: searched as the system
        return self.sudo().with_context(active_test=False)._search(self._crm_plus_masked_domain(scope))

    @api.model
    def _crm_plus_masked_domain(self, scope):
        """Domain of the records whose contact details a user of contact ``scope`` must not see; per model."""
        return [(0, "=", 1)]

    def _crm_plus_mask_kinds(self, fnames):
        """{field name: kind} of the masked fields among ``fnames``."""
        return {fname: kind for fname, kind in self._crm_plus_masked_fields.items()
                if fname in fnames and fname in self._fields}

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        kinds = self._crm_plus_mask_kinds(fnames)
        masked = self._crm_plus_masked_ids() if kinds else set()
        if masked:
            for vals in result:
                if vals["id"] in masked:
                    for fname, kind in kinds.items():
                        if fname in vals:
                            vals[fname] = mask_value(kind, vals[fname])
        return result

    def _export_rows(self, fields, *, _is_toplevel_call=True):
        columns = {i: self._crm_plus_masked_fields[path[0]] for i, path in enumerate(fields)
                   if len(path) == 1 and path[0] in self._crm_plus_mask_kinds({path[0]})}
        masked = self._crm_plus_masked_ids() if columns else set()
        if not masked:
            return super()._export_rows(fields, _is_toplevel_call=_is_toplevel_call)
        # records keep their order; runs of unmasked records are exported together, masked ones one by one
        # so that their main line (the first) is known
        lines, run = [], []

        def export(ids):
            records = self.browse(ids).with_prefetch(self._prefetch_ids)
            return super(CrmPlusContactMaskMixin, records)._export_rows(fields, _is_toplevel_call=_is_toplevel_call)

        for record_id in self.ids:
            if record_id not in masked:
                run.append(record_id)
                continue
            if run:
                lines += export(run)
                run = []
            rows = export([record_id])
            for i, kind in columns.items():
                rows[0][i] = mask_value(kind, rows[0][i])
            lines += rows
        if run:
            lines += export(run)
        return lines

    # The two hooks below are called by each model's own override (res_partner_masking.py,
    # crm_lead_partner_values.py): the model's chain computes display names and suggested recipients
    # without calling super(), so a mixin method alone would never run.

    def _crm_plus_hide_in_display_names(self):
        """After the display names of ``self`` are computed: a masked record shows its name only, whatever
        the context asks to add (address, tax id, database id...); its e-mail only masked (context
        ``show_email``: mail dialogs). Decided for the real user also in sudo (many2one reads)."""
        field = self._fields["display_name"]
        keys = [key for key in self.pool.field_depends_context[field]
                if key not in _NEUTRAL_CONTEXT and self.env.context.get(key)]
        masked = self._crm_plus_masked_ids(even_sudo=True) if keys else ()
        for record in self.filtered(lambda r: r._origin.id in masked):
            name = record._crm_plus_plain_display_name()
            email = record._crm_plus_display_email() if self.env.context.get("show_email") else False
            record.display_name = "%s <%s>" % (name, mask_email(email)) if email else name

    def _crm_plus_plain_display_name(self):
        """The display name of this record with nothing added by the context (its name)."""
        return self[self._rec_name] or "" if self._rec_name else ""

    def _crm_plus_display_email(self):
        """The e-mail a display name adds under context ``show_email`` (none by default)."""
        return False

    def _read_group_groupby(self, groupby_spec, query):
        self._crm_plus_check_group_field(groupby_spec)
        return super()._read_group_groupby(groupby_spec, query)

    def _read_group_select(self, aggregate_spec, query):
        self._crm_plus_check_group_field(aggregate_spec)
        return super()._read_group_select(aggregate_spec, query)

    def _crm_plus_check_group_field(self, spec):
        """Refuse grouping or aggregating a masked field to a user whose role is masked: a group's value or
        an aggregate (array_agg, count_distinct...) would show the contact details of every record."""
        fname = spec.split(":")[0].split(".")[0]
        if self.env.su or fname not in self._crm_plus_mask_kinds({fname}):
            return
        if self.env.user._crm_plus_contact_scope() is not None:
            raise AccessError(self.env._(
                "You may not group or aggregate %(field)s: the contact details of customers outside your scope "
                "are hidden from you.", field=self._fields[fname]._description_string(self.env)))

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su and self._crm_plus_masked_fields:
            domain = self._crm_plus_guard_masked_leaves(domain)
        return super()._search(domain, offset=offset, limit=limit, order=order)

    @api.model
    def _crm_plus_guard_masked_leaves(self, domain):
        """``domain`` where each condition on a masked field also requires the record not to be masked for
        the user: searching a number or an address finds only the records whose value the user sees (a
        prefix search must not recover a hidden number digit by digit). Conditions on emptiness are kept."""
        result, query = [], False
        for leaf in domain or []:
            if (isinstance(leaf, list | tuple) and len(leaf) == 3 and isinstance(leaf[0], str)
                    and self._crm_plus_mask_kinds({leaf[0].split(".")[0]}) and leaf[2] is not False):
                if query is False:
                    query = self._crm_plus_masked_query()
                if query is not None:
                    result += ["&", leaf, ("id", "not in", query)]
                    continue
            result.append(leaf)
        return result

    def onchange(self, values, field_names, fields_spec):
        """The form's onchange of a record: the user must be allowed to change it (a user without access to
        the model learns nothing through it), and a masked record's contact details stay masked."""
        self.browse(self._origin.ids).check_access("write" if self._origin else "create")
        result = super().onchange(values, field_names, fields_spec)
        kinds = self._crm_plus_mask_kinds(set(result.get("value", {})))
        if kinds and self._origin and self._origin._crm_plus_masked_ids():
            for fname, kind in kinds.items():
                result["value"][fname] = mask_value(kind, result["value"][fname])
        return result

    def _crm_plus_mask_recipients(self, result):
        """``result`` (suggested recipients of the chatter of ``self``) with a masked customer's e-mail
        masked; an address known only from a masked record (no partner behind it) is not suggested."""
        record_masked = bool(self._crm_plus_masked_ids(even_sudo=True))
        partners = self.env["res.partner"].browse(r["partner_id"] for r in result if r.get("partner_id"))
        hidden = partners._crm_plus_masked_ids(even_sudo=True)
        shown = []
        for recipient in result:
            if not (recipient.get("email") and (record_masked or recipient.get("partner_id") in hidden)):
                shown.append(recipient)
            elif recipient.get("partner_id"):
                shown.append(dict(recipient, email=mask_email(recipient["email"])))
        return shown

    def write(self, vals):
        self._crm_plus_check_masked_write(vals)
        return super().write(vals)

    def _crm_plus_check_masked_write(self, vals):
        """Refuse a write of contact details by a user who does not see them."""
        if self.env.su or not self._crm_plus_mask_kinds(set(vals)):
            return
        masked = self.browse(self._crm_plus_masked_ids())
        if masked:
            raise UserError(_(
                "The phone and e-mail of %(names)s are hidden from you: ask their salesperson or a sales "
                "manager to change them.", names=", ".join(masked[:5].mapped("display_name"))))
