from odoo import models

from ..tools.masking import mask_value


class MailTrackingValue(models.Model):
    _inherit = "mail.tracking.value"

    def _tracking_value_format_model(self, model):
        """Phone and e-mail changes in the chatter of a customer whose contact details are hidden from the
        user show masked too (see crm_plus.contact.mask.mixin)."""
        formatted = super()._tracking_value_format_model(model)
        kinds = getattr(self.env[model], "_crm_plus_masked_fields", None) if model in self.env else None
        if not kinds or not any(vals["fieldName"] in kinds for vals in formatted):
            return formatted
        # the chatter formats tracking values as the system: the masking is decided for the real user;
        # the tracked record of each value is read as the system, the user already reads its message
        res_ids = {tracking.id: tracking.sudo().mail_message_id.res_id for tracking in self}
        Model = self.env[model].with_user(self.env.user)
        masked = Model.browse({res_id for res_id in res_ids.values() if res_id})._crm_plus_masked_ids()
        for vals in formatted:
            kind = kinds.get(vals["fieldName"])
            if kind and res_ids.get(vals["id"]) in masked:
                for key in ("oldValue", "newValue"):
                    vals[key]["value"] = mask_value(kind, vals[key]["value"])
        return formatted
