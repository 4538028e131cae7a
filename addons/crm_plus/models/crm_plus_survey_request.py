"""After-sale survey invitations: one per order (or ticket), sent once, answers and score linked to the customer."""

import psycopg2

from odoo import _, api, fields, models
from odoo.tools import mute_logger

# surveys a customer answers from an e-mailed link (no login)
SENDABLE_ACCESS = ("public", "token")
REQUEST_STATES = [("sent", "Sent"), ("answered", "Answered"), ("skipped", "Not Sent")]
SKIP_REASONS = [("blacklisted", "Opted Out"), ("no_email", "No E-mail")]
# the low score of the settings until it is saved: an answer under it is a churn signal
LOW_SCORE_DEFAULT = 60


class CrmPlusSurveyRequest(models.Model):
    """An after-sale survey sent to a customer about one document (a delivered order, a solved ticket).

    One request per document, ever (a unique constraint): whatever reruns the trigger, the invitation goes
    out once. A customer who opted out of e-mails (Odoo's blacklist) gets none; the request stays, "Not
    Sent", so the trigger does not try again. When the customer answers, the score (the survey's scoring
    percentage, or its designated rating question on a 0-100 scale) is stored here and feeds the churn
    signals of the lifecycle scan and the satisfaction analysis.
    """

    _name = "crm_plus.survey.request"
    _description = "After-Sale Survey Request"
    _inherit = ["crm_plus.scope.mixin"]
    _order = "date_sent desc, id desc"
    _rec_name = "document_name"

    res_model = fields.Char(string="Document Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(string="Document", model_field="res_model", required=True, readonly=True)
    document_name = fields.Char(readonly=True)
    survey_id = fields.Many2one("survey.survey", string="Survey", required=True, readonly=True, ondelete="cascade",
                                index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    contact_id = fields.Many2one("res.partner", string="Sent To", readonly=True, ondelete="set null")
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True, index=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)
    user_input_id = fields.Many2one("survey.user_input", string="Answer", readonly=True, ondelete="set null",
                                    index="btree_not_null")
    state = fields.Selection(REQUEST_STATES, string="Status", required=True, readonly=True, default="sent", index=True)
    skip_reason = fields.Selection(SKIP_REASONS, readonly=True)
    date_sent = fields.Datetime(string="Sent On", readonly=True, default=fields.Datetime.now, index=True)
    date_answered = fields.Datetime(string="Answered On", readonly=True)
    score = fields.Float(string="Score (%)", readonly=True, aggregator="avg",
                         help="The answer's score from 0 to 100: the survey's scoring percentage, or its rating "
                              "question on a 0-100 scale.")
    survey_url = fields.Char(string="Survey Link", compute="_compute_survey_url")

    _sql_constraints = [
        ("document_unique", "UNIQUE(res_model, res_id)", "A document has one after-sale survey."),
    ]

    @api.depends("user_input_id")
    def _compute_survey_url(self):
        for request in self:
            answer = request.user_input_id
            request.survey_url = (answer.survey_id.get_base_url() + answer.get_start_url()) if answer else False

    # ------------------------------------------------------------------------------------------------
    # business
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_send(self, survey, documents, values):
        """Send ``survey`` once about each of ``documents`` (records of one model).

        ``values(document)`` gives the request's customer (``partner_id``), recipient (``contact_id``),
        ``user_id``, ``team_id`` and ``company_id``. Documents that already have a request are skipped, also
        when another transaction creates it at the same time (the unique constraint; the loser skips).
        Returns the new requests.
        """
        survey = survey.sudo()
        if not survey or not documents or not survey.active or survey.access_mode not in SENDABLE_ACCESS:
            return self.browse()
        # the system sends the invitations: the trigger (a delivery, a solved ticket) may be any user's
        # action, and the salesperson need not see the survey nor its answers
        Request = self.sudo()
        done = set(Request.search([("res_model", "=", documents._name), ("res_id", "in", documents.ids)])
                   .mapped("res_id"))
        template = self.env.ref("crm_plus.mail_template_crm_plus_survey_request", raise_if_not_found=False)
        created = Request.browse()
        todo = [(document, values(document)) for document in documents if document.id not in done]
        # the recipients' addresses and opt-outs read for all of them at once
        contacts = self.env["res.partner"].sudo().browse({vals["contact_id"] for _document, vals in todo})
        for document, vals in todo:
            contact = contacts.browse(vals["contact_id"]).with_prefetch(contacts._prefetch_ids)
            vals.update(res_model=documents._name, res_id=document.id, survey_id=survey.id,
                        document_name=document.display_name)
            if not contact.email_normalized:
                vals.update(state="skipped", skip_reason="no_email")
            elif contact.is_blacklisted:
                vals.update(state="skipped", skip_reason="blacklisted")
            request = Request._crm_plus_create_once(vals)
            if not request:
                continue
            if request.state == "sent":
                request.user_input_id = survey.sudo()._create_answer(partner=contact, check_attempts=False)
            created |= request
        # the invitations rendered and queued in one batch
        to_send = created.filtered(lambda request: request.state == "sent")
        if template and to_send:
            template.sudo().send_mail_batch(to_send.ids, email_layout_xmlid="mail.mail_notification_light")
        return created

    @api.model
    def _crm_plus_create_once(self, vals):
        """The new request, or nothing when the document got one meanwhile (unique constraint)."""
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                request = self.create(vals)
                request.flush_recordset()
        except psycopg2.errors.UniqueViolation:
            return self.browse()
        return request

    def _crm_plus_answered(self):
        """Record the customer's answer (each request's own) and its score."""
        for request in self:
            request.write({"state": "answered", "date_answered": fields.Datetime.now(),
                           "score": request._crm_plus_score(request.user_input_id)})

    def _crm_plus_score(self, answer):
        """0-100: the survey's rating question (its scale spread over 0-100) when it has one, else the
        scoring percentage."""
        question = answer.survey_id.crm_plus_rating_question_id
        if question:
            line = answer.user_input_line_ids.filtered(lambda line: line.question_id == question and not line.skipped)
            if not line:
                return 0.0
            span = (question.scale_max - question.scale_min) or 1
            return round((line[0].value_scale - question.scale_min) * 100.0 / span, 2)
        return answer.scoring_percentage

    @api.model
    def _crm_plus_low_score_customers(self, partners, since):
        """Ids of ``partners`` who answered a survey since ``since`` with a score under the low-score
        threshold of the settings."""
        threshold = self.env["res.config.settings"]._crm_plus_param("survey_low_score")
        groups = self.sudo()._read_group(
            [("partner_id", "in", partners.ids), ("state", "=", "answered"), ("date_answered", ">=", since),
             ("score", "<", threshold)], ["partner_id"])
        return {partner.id for (partner,) in groups}

    def action_open_document(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self.res_model, "res_id": self.res_id,
                "views": [(False, "form")], "target": "current", "name": _("Document")}

    def action_open_answer(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "survey.user_input", "res_id": self.user_input_id.id,
                "views": [(False, "form")], "target": "current", "name": _("Answer")}
