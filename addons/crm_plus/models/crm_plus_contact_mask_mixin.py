from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.masking import mask_value


class CrmPlusContactMaskMixin(models.AbstractModel):
    """Phone numbers and e-mail addresses shown masked (138****5678, z***@example.com) to users whose
    role is set to not see the contact details of customers outside their own scope (settings).

    The values are masked where they leave the server: ``_read_format`` (read, search_read, web_read,
    web_search_read, many2one and x2many sub-reads) and ``_export_rows`` (exports). Server code reading
    the fields directly (duplicate checks, e-mails sent by the system) keeps the real values. A masked
    user cannot write the masked fields, so a masked value never replaces a real one.
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

    def _crm_plus_masked_ids(self):
        """Ids of the records of ``self`` whose contact details the current user must not see."""
        records = self.browse(i for i in self.ids if isinstance(i, int))
        if self.env.su or not records:
            return set()
        scope = self.env.user._crm_plus_contact_scope()
        if scope is None:
            return set()
        return records._crm_plus_outside_contact_scope(scope)

    def _crm_plus_outside_contact_scope(self, scope):
        """Ids of the records of ``self`` outside the contact ``scope`` (a res.users Scope); per model."""
        return set()

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
