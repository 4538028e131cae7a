"""Knowledge base articles: internal or published to the portal, searched in Chinese and English through
jieba words in a ``simple`` tsvector (GIN index), ranked with ``ts_rank``."""

from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext

from ..tools.kb_text import document, query

# the words of a record are kept in this column (not an ORM field): written by _crm_plus_kb_index
KB_COLUMN = "crm_plus_kb_tsv"


class CrmPlusKbArticle(models.Model):
    _name = "crm_plus.kb.article"
    _description = "Knowledge Article"
    _inherit = ["mail.thread"]
    _order = "sequence, id desc"

    name = fields.Char(string="Title", required=True, tracking=True, translate=False)
    body = fields.Html(sanitize=True)
    summary = fields.Char(compute="_compute_summary", help="The first words of the article.")
    sequence = fields.Integer(default=10)
    tag_ids = fields.Many2many("crm_plus.ticket.tag", string="Tags")
    is_published = fields.Boolean(
        string="Published on the Portal", tracking=True,
        help="Published articles are suggested to customers on the portal; the others are internal.")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    source_ticket_id = fields.Many2one("crm_plus.ticket", string="From Ticket", readonly=True, index="btree_not_null",
                                       ondelete="set null")
    color = fields.Integer()

    @api.depends("body")
    def _compute_summary(self):
        for article in self:
            text = " ".join(html2plaintext(article.body or "").split())
            article.summary = text[:160] + ("…" if len(text) > 160 else "")

    def init(self):
        result = super().init()
        for table in ("crm_plus_kb_article", "crm_plus_ticket"):
            self.env.cr.execute(SQL("ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s tsvector",
                                    SQL.identifier(table), SQL.identifier(KB_COLUMN)))
            self.env.cr.execute(SQL("CREATE INDEX IF NOT EXISTS %s ON %s USING gin (%s)",
                                    SQL.identifier("%s_kb_tsv_gin" % table), SQL.identifier(table),
                                    SQL.identifier(KB_COLUMN)))
        return result

    # ------------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        articles = super().create(vals_list)
        articles._crm_plus_kb_index()
        return articles

    def write(self, vals):
        result = super().write(vals)
        if {"name", "body", "tag_ids"} & set(vals):
            self._crm_plus_kb_index()
        if "body" in vals:
            for article in self:
                article._message_log(body=self.env._("Content edited."))
        return result

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_kb_index(self):
        """Store the jieba words of title, tags and body in the article's tsvector."""
        # sudo: the index is the article's own bookkeeping, kept whoever edits it
        rows = [(article.id, document(article.name, article.name, " ".join(article.tag_ids.mapped("name")),
                                      article.body)) for article in self.sudo()]
        _crm_plus_kb_store(self.env.cr, "crm_plus_kb_article", rows)

    @api.model
    def _crm_plus_kb_search(self, text, limit=5, published_only=False):
        """The articles matching ``text`` best (ts_rank over jieba words), read as the current user: the
        record rules decide which ones they may see (customers: published only)."""
        expression = query(text)
        if not expression:
            return self.browse()
        domain = [("is_published", "=", True)] if published_only else []
        ids = self._search(domain)  # the user's access, as a subquery
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """SELECT a.id FROM crm_plus_kb_article a, to_tsquery('simple', %(q)s) q
                WHERE a.crm_plus_kb_tsv @@ q AND a.id IN %(ids)s
             ORDER BY ts_rank(a.crm_plus_kb_tsv, q) DESC, a.id DESC LIMIT %(limit)s""",
            q=expression, ids=ids.subselect(), limit=limit))
        return self.browse(row[0] for row in self.env.cr.fetchall())


def _crm_plus_kb_store(cr, table, rows):
    """Write ``rows`` [(id, words)] into the tsvector column of ``table`` (NULL for no words)."""
    if not rows:
        return
    values = SQL(", ").join(SQL("(%s, %s)", rid, words or None) for rid, words in rows)
    cr.execute(SQL("""UPDATE %(table)s t SET %(col)s = to_tsvector('simple', v.words)
                        FROM (VALUES %(values)s) AS v(id, words) WHERE t.id = v.id""",
                   table=SQL.identifier(table), col=SQL.identifier(KB_COLUMN), values=values))
