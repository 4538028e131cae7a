"""The one way crm_plus creates to-dos for people (reminders, warnings, return visits, renewals...)."""

from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model
    def _crm_plus_create_todos(self, todos):
        """Create automated to-dos in one batch; returns them.

        ``todos``: ``[(record, user, summary, deadline)]`` or ``[(record, user, summary, deadline, note)]``;
        records of any model with activities; ``deadline`` a date (``None``: today). The summary is written
        by the caller in the assignee's language. Created as the system (the cron, or a user acting on a
        record they may not otherwise schedule activities on, after their own checks), marked automated
        (they are no follow-up of the customer themselves) and without one "assigned to you" e-mail each:
        a cron may create thousands at once, and the to-do list is where they are read.
        """
        todo_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_ids = {}
        vals_list = []
        today = fields.Date.context_today(self)
        for record, user, summary, deadline, *note in todos:
            if record._name not in model_ids:
                model_ids[record._name] = self.env["ir.model"]._get_id(record._name)
            vals = {
                "res_model_id": model_ids[record._name], "res_id": record.id, "user_id": user.id,
                "summary": summary, "automated": True, "date_deadline": deadline or today,
                "activity_type_id": todo_type.id if todo_type else False,
            }
            if note and note[0]:
                vals["note"] = note[0]
            vals_list.append(vals)
        if not vals_list:
            return self.browse()
        return self.sudo().with_context(mail_activity_quick_update=True, mail_auto_subscribe_no_notify=True).create(
            vals_list)
