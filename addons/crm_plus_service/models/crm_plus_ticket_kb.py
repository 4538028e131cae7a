"""Knowledge on tickets: solved tickets indexed like articles, suggested articles and similar solved tickets
on a ticket, and a solution turned into an article in one click."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.kb_text import document, keywords
from .crm_plus_kb_article import _crm_plus_kb_store

# similar tickets must share one of this many of the ticket's most telling keywords
FILTER_WORDS = 4
# fields whose change re-indexes a solved ticket
KB_FIELDS = {"name", "description", "stage_id", "product_id"}


class CrmPlusTicket(models.Model):
    _inherit = "crm_plus.ticket"

    product_id = fields.Many2one("product.product", string="Product", index="btree_not_null", tracking=True)
    kb_article_ids = fields.Many2many("crm_plus.kb.article", string="Suggested Articles",
                                      compute="_compute_kb_suggestions")
    kb_similar_ticket_ids = fields.Many2many("crm_plus.ticket", string="Similar Solved Tickets",
                                             compute="_compute_kb_suggestions")

    @api.depends("name", "description", "customer_id", "product_id")
    @api.depends_context("uid")
    def _compute_kb_suggestions(self):
        Article = self.env["crm_plus.kb.article"]
        can_read_articles = Article.has_access("read")
        for ticket in self:
            text = "%s %s" % (ticket.name or "", ticket.description or "")
            ticket.kb_article_ids = Article._crm_plus_kb_search(text) if can_read_articles else Article
            ticket.kb_similar_ticket_ids = ticket._crm_plus_kb_similar()

    # ------------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_after_create(self):
        result = super()._crm_plus_after_create()
        self.filtered("is_solved")._crm_plus_kb_index()
        return result

    def write(self, vals):
        if not KB_FIELDS & set(vals):
            return super().write(vals)
        indexed = self.filtered("is_solved")
        result = super().write(vals)
        # only the tickets that are solved now, or were before (their words are removed), are (re)indexed:
        # a change of an open ticket costs no segmentation
        (indexed | self.filtered("is_solved"))._crm_plus_kb_index()
        return result

    # ------------------------------------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------------------------------------

    def action_kb_create_article(self):
        """A draft internal article from the ticket: its subject, the request and the agents' answers."""
        self.ensure_one()
        answers = self.message_ids.filtered(
            lambda m: m.message_type in ("comment", "email") and m.subtype_id == self.env.ref("mail.mt_comment")
            and m.author_id.user_ids and not m.author_id.user_ids[0].share).sorted("id")
        body = Markup("<h3>%s</h3>%s<h3>%s</h3>%s") % (
            self.env._("Problem"), self.description or Markup("<p></p>"), self.env._("Solution"),
            Markup("").join(m.body for m in answers) or Markup("<p></p>"))
        article = self.env["crm_plus.kb.article"].create({
            "name": self.name, "body": body, "tag_ids": [(6, 0, self.tag_ids.ids)], "source_ticket_id": self.id,
            "company_id": self.company_id.id})
        return {"type": "ir.actions.act_window", "res_model": "crm_plus.kb.article", "res_id": article.id,
                "view_mode": "form", "views": [(False, "form")]}

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_kb_index(self):
        """Solved tickets keep the jieba words of their subject, description and product; others none."""
        # sudo: the index is the ticket's own bookkeeping, kept whoever moves it
        rows = [(t.id, document(t.name, t.name, t.description, t.product_id.display_name or "") if t.is_solved
                 else None) for t in self.sudo()]
        _crm_plus_kb_store(self.env.cr, "crm_plus_ticket", rows)

    def _crm_plus_kb_similar(self, limit=5):
        """Solved tickets like this one, the user may read: the same customer and product first, then the
        same customer or product, each by ts_rank of the words they share."""
        self.ensure_one()
        words = keywords("%s %s %s" % (self.name or "", self.name or "", self.description or ""))
        if not words:
            return self.browse()
        visible = self._search([("is_solved", "=", True), ("id", "!=", self._origin.id or 0)])
        # the query below reads stages, customers and the record rules' fields from the database
        self.env.flush_all()
        # candidates share one of the FILTER_WORDS most telling keywords (a GIN lookup); they are ranked by
        # the same customer and product, then the number of keywords they share, then ts_rank
        terms = ["'%s'" % word for word in words]
        shared = SQL(" + ").join(
            SQL("(t.crm_plus_kb_tsv @@ %s::tsquery)::int", term) for term in terms)
        self.env.cr.execute(SQL(
            """SELECT t.id FROM crm_plus_ticket t, to_tsquery('simple', %(q)s) q
                WHERE t.crm_plus_kb_tsv @@ to_tsquery('simple', %(filter)s) AND t.id IN %(visible)s
             ORDER BY (CASE WHEN t.customer_id = %(customer)s THEN 1 ELSE 0 END
                       + CASE WHEN t.product_id = %(product)s THEN 1 ELSE 0 END) DESC,
                      %(shared)s DESC, ts_rank(t.crm_plus_kb_tsv, q) DESC, t.id DESC
                LIMIT %(limit)s""",
            q=" | ".join(terms), filter=" | ".join(terms[:FILTER_WORDS]), shared=shared,
            visible=visible.subselect(), customer=self.customer_id.id or 0, product=self.product_id.id or 0,
            limit=limit))
        return self.browse(row[0] for row in self.env.cr.fetchall())
