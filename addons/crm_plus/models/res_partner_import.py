"""Customers created by the crm_plus import in batches: the defaults read once per batch."""

from odoo import api, models

# context key of the defaults cache of one batch create (see CrmPlusImportJob._create_partners)
DEFAULTS_CACHE = "crm_plus_defaults_cache"


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
