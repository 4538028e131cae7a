"""Customers created by the crm_plus import in batches: what the import already did is not redone per row.

Both context keys are set by ``CrmPlusImportJob._create_partners`` only.
"""

from odoo import api, models

# context key of the defaults cache of one batch create
DEFAULTS_CACHE = "crm_plus_defaults_cache"
# context key of the phone readings the import made: {number as written: [[e164, extension, valid, kind]]}
PHONE_READINGS = "crm_plus_phone_readings"
# the precomputed fields of res.partner whose computes read no text: Odoo's salesperson (a contact takes its
# company's), crm_plus's team (the salesperson's)
PRECOMPUTED_WITHOUT_TEXT = {"user_id", "team_id"}
TEXT_TYPES = {"char", "text", "html"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def default_get(self, fields_list):
        """Within one batch create of the import, the defaults are read once, not once per row.

        ``create`` asks for the defaults of every row (Odoo's account addon alone runs a query per row for
        the invoice report default). They depend on the context and the database, which do not change
        within one create: the import passes an empty dict under ``crm_plus_defaults_cache`` and the first
        row's answer serves the others (a context with other ``default_*`` values is another entry).
        """
        cache = self.env.context.get(DEFAULTS_CACHE)
        if cache is None:
            return super().default_get(fields_list)
        key = (tuple(fields_list), repr(sorted((name, value) for name, value in self.env.context.items()
                                               if name.startswith("default_"))))
        if key not in cache:
            cache[key] = super().default_get(fields_list)
        return dict(cache[key])

    def _add_precomputed_values(self, vals_list):
        """Within one batch create of the import, rows alike but for their texts share their precomputed values.

        Odoo builds a new record per row to precompute ``user_id`` and ``team_id``; their computes read the
        parent, the type and the salesperson, never a text. Rows of the import with the same non-text values
        (most customers of a file) therefore get one computation. Only when those two are the model's only
        precomputed fields: another module's precompute is left to Odoo.
        """
        precomputed = {name for name, field in self._fields.items() if field.precompute}
        if self.env.context.get(DEFAULTS_CACHE) is None or precomputed != PRECOMPUTED_WITHOUT_TEXT:
            return super()._add_precomputed_values(vals_list)
        groups = {}
        for vals in vals_list:
            signature = repr(sorted((name, value) for name, value in vals.items()
                                    if getattr(self._fields.get(name), "type", None) not in TEXT_TYPES))
            groups.setdefault(signature, []).append(vals)
        for first, *others in groups.values():
            super()._add_precomputed_values([first])
            done = first.get("__precomputed__", set())
            for vals in others:
                vals.update({field.name: first[field.name] for field in done})
                vals["__precomputed__"] = set(done)
        return None

    def _compute_phone_sanitized(self):
        """Odoo's sanitized number, taken from the import's readings where they give the same answer.

        The import writes each number it could read in E.164 (``+8615875991832``, an extension after it) and
        passes its reading. Odoo sanitizes the first number of the partner (mobile, then phone) by parsing it
        again: written with its country code, it reads the same in every region, so a reading valid by the
        numbering plan and without extension is Odoo's E.164 as it is. Anything else (a number kept as typed,
        an extension, a number the plan does not list) is left to Odoo's own compute.
        """
        known = self.env.context.get(PHONE_READINGS)
        if not known:
            return super()._compute_phone_sanitized()
        number_fields = self._phone_get_number_fields()
        rest = []
        for partner in self:
            number = next((partner[fname] for fname in number_fields if partner[fname]), False)
            e164, extension, valid, _kind = (known.get(number) or [[None, None, False, None]])[0]
            if not number:
                partner.phone_sanitized = False
            elif valid and not extension:
                partner.phone_sanitized = e164
            else:
                rest.append(partner.id)
        if rest:
            super(ResPartner, self.browse(rest))._compute_phone_sanitized()
        return None
