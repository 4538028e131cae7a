"""Leads and opportunities of CRM Plus: the model with its mixins (data scopes, contact masking).

Each concern adds itself in its own file (``_inherit`` only): customer matching, routing, contracts, scope.
"""

from odoo import models


class CrmLead(models.Model):
    _name = "crm.lead"  # several _inherit without _name would make a new model named "CrmLead"
    _inherit = ["crm.lead", "crm_plus.scope.mixin", "crm_plus.contact.mask.mixin"]
