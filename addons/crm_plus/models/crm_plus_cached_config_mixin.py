"""Configuration records read by a cached method (``tools.ormcache``): the cache follows their changes."""

from odoo import api, models


class CrmPlusCachedConfigMixin(models.AbstractModel):
    """Records a cached method reads: creating, deleting or changing them clears Odoo's cache, in every worker
    (Odoo signals the cleared cache to the other workers through the database).

    ``_crm_plus_cache_ignored_fields``: fields the cached methods do not read (a write of only these keeps the
    cache); a field not listed, also one added later, clears it.
    """

    _name = "crm_plus.cached.config.mixin"
    _description = "CRM Plus Cached Configuration"

    _crm_plus_cache_ignored_fields = frozenset()

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        if set(vals) - self._crm_plus_cache_ignored_fields:
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
