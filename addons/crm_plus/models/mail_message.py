"""Messages: the sender address of a message on a record whose contact details the user must not see is masked."""

from odoo import models

from odoo.addons.mail.tools.discuss import Store

from ..tools.masking import mask_email


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _crm_plus_masked_message_ids(self):
        """Ids of the messages of ``self`` posted on records masked for the current (real) user."""
        by_model = {}
        # the chatter formats messages as the system: model and record ids of self only, read as the system
        for message in self.sudo():
            Model = self.env.get(message.model) if message.model else None
            if Model is not None and getattr(Model, "_crm_plus_masked_fields", None) and message.res_id:
                by_model.setdefault(message.model, {}).setdefault(message.res_id, []).append(message.id)
        masked = set()
        for model, ids_by_record in by_model.items():
            records = self.env[model].with_user(self.env.user).browse(ids_by_record)
            for res_id in records._crm_plus_masked_ids():
                masked.update(ids_by_record[res_id])
        return masked

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        masked = self._crm_plus_masked_message_ids() if "email_from" in fnames and not self.env.su else set()
        for vals in result:
            if vals["id"] in masked and vals.get("email_from"):
                vals["email_from"] = mask_email(vals["email_from"])
        return result

    def _author_to_store(self, store: Store):
        res = super()._author_to_store(store)
        for message in self.browse(self._crm_plus_masked_message_ids()):
            if message.email_from:
                store.add(message, {"email_from": mask_email(message.email_from)})
        return res
