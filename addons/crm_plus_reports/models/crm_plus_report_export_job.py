"""Large analysis exports, written in the background by a cron and announced with a download link."""

import base64
import logging

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import SQL, safe_eval

_logger = logging.getLogger(__name__)

JOB_STATES = [("queued", "Queued"), ("done", "Done"), ("failed", "Failed")]


class CrmPlusReportExportJob(models.Model):
    """An export of an analysis too large to wait for: the wizard queues it, ``_cron_run_exports`` writes the
    workbook as the user who asked (their rules and masking), attaches it and notifies them with a link."""

    _name = "crm_plus.report.export.job"
    _inherit = ["mail.thread"]
    _description = "Analysis Export"
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Requested by", required=True, readonly=True, index=True,
                              default=lambda self: self.env.user)
    report_model = fields.Char(string="Analysis Model", required=True, readonly=True)
    domain = fields.Char(required=True, readonly=True, default="[]")
    in_wan = fields.Boolean(string="Amounts in 万", readonly=True)
    state = fields.Selection(JOB_STATES, string="Status", default="queued", required=True, readonly=True, index=True)
    row_count = fields.Integer(string="Rows", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="File", readonly=True)
    error = fields.Char(readonly=True)

    def action_download(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/web/content/%s?download=true" % self.attachment_id.id}

    # ------------------------------------------------------------------------------------------------
    # cron
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _cron_run_exports(self):
        """Write the queued exports, oldest first, one per batch (committed); two workers never take the same."""
        jobs = self.search([("state", "=", "queued")], order="id")
        return self.env["ir.cron"]._crm_plus_run_batches("report exports", jobs, self._run_batch, batch_size=1)

    @api.model
    def _run_batch(self, jobs):
        done = 0
        for job in jobs._lock_queued():
            job._run()
            done += 1
        return done

    def _lock_queued(self):
        """The jobs of self still queued whose row this transaction could lock (SKIP LOCKED)."""
        return self.env["ir.cron"]._crm_plus_claim(self, SQL("state = 'queued'"))

    def _run(self):
        """Write this job's workbook as its user; a failure is recorded on the job, never retried in a loop."""
        self.ensure_one()
        wizard_model = self.env["crm_plus.report.export"].with_user(self.user_id).with_context(
            lang=self.user_id.lang, tz=self.user_id.tz)
        try:
            with self.env.cr.savepoint():
                Report = wizard_model.env[self.report_model]
                records = Report.search(safe_eval.safe_eval(self.domain))
                wizard = wizard_model.new({"report_model": self.report_model, "in_wan": self.in_wan})
                data = wizard._workbook(records)
        # any failure is the job's: recorded on it and told to its user, never retried in a loop
        except Exception as error:  # noqa: BLE001 # pylint: disable=broad-except
            _logger.info("crm_plus report export %s failed: %s", self.id, error)
            self.write({"state": "failed", "error": str(error)[:500]})
            self._notify_user(_("Your export %(name)s failed: %(error)s", name=self.name, error=str(error)[:200]))
            return
        attachment = self.env["ir.attachment"].create({
            "name": "%s.xlsx" % self.name, "datas": base64.b64encode(data), "res_model": self._name,
            "res_id": self.id, "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
        self.write({"state": "done", "row_count": len(records), "attachment_id": attachment.id})
        link = Markup('<a href="/web/content/%s?download=true">%s</a>') % (attachment.id, attachment.name)
        self._notify_user(Markup("%s %s") % (_("Your export is ready:"), link))

    def _notify_user(self, body):
        self.message_notify(partner_ids=self.user_id.partner_id.ids, body=body, subject=self.name,
                            email_layout_xmlid="mail.mail_notification_light")
