"""Knowledge base: jieba words in a 'simple' tsvector with a GIN index, ranked by ts_rank; articles and
similar solved tickets suggested on a ticket; a solution turned into an article; who reads which article."""

from contextlib import contextmanager

from odoo.exceptions import AccessError
from odoo.tests import BaseCase, new_test_user, tagged

from ..tools import kb_text
from .common import CrmPlusServiceCase


@tagged("post_install", "-at_install")
class TestKbText(BaseCase):
    def test_segment_chinese_and_latin(self):
        words = kb_text.segment("<p>打印机卡纸了，无法打印。Printer jams on A4 paper</p>")
        self.assertIn("打印机", words)
        self.assertIn("卡纸", words)
        self.assertIn("printer", words)
        self.assertIn("a4", words)
        self.assertNotIn("了", words, "stop words are dropped")
        self.assertNotIn("on", words)
        self.assertFalse([w for w in words if not w.isalnum()], "no punctuation")

    def test_query_is_safe(self):
        self.assertEqual(kb_text.query("打印机 卡纸 打印机"), "'打印' | '印机' | '打印机' | '卡纸'")
        self.assertIsNone(kb_text.query("的了 ! & | ' ( )"))
        self.assertNotIn("&", kb_text.query("a & b | c' OR 1=1") or "")


@tagged("post_install", "-at_install")
class TestKnowledgeBase(CrmPlusServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Article = cls.env["crm_plus.kb.article"]
        # an empty knowledge base to start from: the demo's articles would join the rankings
        Article.with_context(active_test=False).search([]).unlink()
        cls.jam = Article.create({"name": "打印机卡纸的处理方法", "is_published": True,
                                  "body": "<p>打开后盖，取出卡住的纸张，再重新打印。</p>"})
        cls.wifi = Article.create({"name": "无线网络连接不上", "body": "<p>重启路由器，检查密码。</p>",
                                   "is_published": True})
        cls.internal = Article.create({"name": "打印机搓纸轮更换（内部）", "body": "<p>只给工程师看：更换搓纸轮。</p>"})
        cls.stage_solved = cls.env.ref("crm_plus_service.ticket_stage_solved")
        cls.portal = new_test_user(cls.env, login="kb_portal", groups="base.group_portal", name="KB Portal")

    def test_gin_index_and_column(self):
        self.env.cr.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'crm_plus_kb_article_kb_tsv_gin'")
        self.assertIn("gin", self.env.cr.fetchone()[0])
        self.env.cr.execute("SELECT crm_plus_kb_tsv::text FROM crm_plus_kb_article WHERE id = %s", [self.jam.id])
        self.assertIn("'卡纸'", self.env.cr.fetchone()[0])

    def test_chinese_search_ranks(self):
        Article = self.env["crm_plus.kb.article"]
        self.assertEqual(Article._crm_plus_kb_search("打印机总是卡纸", limit=1), self.jam)
        self.assertEqual(Article._crm_plus_kb_search("路由器 密码")[:1], self.wifi)
        self.assertFalse(Article._crm_plus_kb_search("发票 抬头"))
        # an edit is indexed again, and tracked in the chatter
        self.wifi.body = "<p>请检查发票抬头。</p>"
        self.assertEqual(Article._crm_plus_kb_search("发票 抬头"), self.wifi)
        self.assertTrue(self.wifi.message_ids.filtered(lambda m: "Content edited" in (m.body or "")))

    def test_customers_read_published_only(self):
        Article = self.env["crm_plus.kb.article"].with_user(self.portal)
        self.assertEqual(Article._crm_plus_kb_search("打印机"), self.jam)
        self.assertEqual(Article.search([]), self.jam | self.wifi)
        with self.assertRaises(AccessError):
            self.internal.with_user(self.portal).read(["name"])
        with self.assertRaises(AccessError):
            self.jam.with_user(self.portal).write({"name": "x"})
        public = self.env.ref("base.public_user")
        self.assertEqual(self.env["crm_plus.kb.article"].with_user(public).search([]), self.jam | self.wifi)

    def test_roles(self):
        Article = self.env["crm_plus.kb.article"]
        self.assertIn(self.internal, Article.with_user(self.user_agent).search([]))
        self.assertIn(self.internal, Article.with_user(self.user_sales).search([]), "employees read internal ones")
        with self.assertRaises(AccessError):
            Article.with_user(self.user_sales).create({"name": "x"})
        article = Article.with_user(self.user_agent).create({"name": "Agent's", "body": "<p>x</p>"})
        with self.assertRaises(AccessError):
            article.with_user(self.user_agent).unlink()
        article.with_user(self.user_service_manager).unlink()

    def _solved(self, name, description, customer, **vals):
        ticket = self.env["crm_plus.ticket"].create({"name": name, "description": description,
                                                     "partner_id": customer.id, **vals})
        ticket.stage_id = self.stage_solved
        return ticket

    def test_similar_solved_tickets(self):
        product = self.env["product.product"].create({"name": "激光打印机 LP-100"})
        same_both = self._solved("打印机卡纸", "<p>LP-100 卡纸</p>", self.customer, product_id=product.id)
        same_customer = self._solved("打印机卡纸了", "<p>卡纸</p>", self.customer)
        other_words = self._solved("打印机卡纸严重", "<p>打印机 卡纸 卡纸</p>", self.other_customer)
        unrelated = self._solved("发票抬头错误", "<p>发票</p>", self.customer)
        open_one = self.env["crm_plus.ticket"].create({"name": "打印机卡纸", "partner_id": self.customer.id})
        ticket = self.env["crm_plus.ticket"].create({"name": "打印机又卡纸", "partner_id": self.customer.id,
                                                     "product_id": product.id})
        similar = ticket._crm_plus_kb_similar()
        self.assertEqual(similar[:2], same_both | same_customer)
        self.assertEqual(similar[0], same_both, "same customer and product first")
        self.assertIn(other_words, similar)
        self.assertNotIn(unrelated, similar)
        self.assertNotIn(open_one, similar, "only solved tickets")
        self.assertEqual(ticket.kb_article_ids[:1], self.jam)
        # reopened: no longer suggested
        same_both.stage_id = self.env.ref("crm_plus_service.ticket_stage_in_progress")
        self.assertNotIn(same_both, ticket._crm_plus_kb_similar())
        # an agent only gets the tickets they may read
        ticket.user_id = self.user_agent2
        self.assertFalse(ticket.with_user(self.user_agent2)._crm_plus_kb_similar() & (same_customer | other_words))

    def _tsv(self, ticket):
        self.env.flush_all()
        self.env.cr.execute("SELECT crm_plus_kb_tsv::text FROM crm_plus_ticket WHERE id = %s", [ticket.id])
        return self.env.cr.fetchone()[0]

    def test_only_solved_tickets_are_indexed(self):
        ticket = self.env["crm_plus.ticket"].create({"name": "扫描仪无法开机", "partner_id": self.customer.id})
        ticket.description = "<p>按电源键没有反应</p>"
        self.assertIsNone(self._tsv(ticket), "an open ticket keeps no words")
        # editing an open ticket does not touch the index at all (Odoo's own query recorder of assertQueries)
        with contextmanager(self._patchExecute)([]) as queries:
            ticket.name = "扫描仪开不了机"
        self.assertFalse([q for q in queries if "crm_plus_kb_tsv" in q], "no index write for an open ticket")
        self.assertTrue(queries, "the recorder saw the write's own queries")
        ticket.stage_id = self.stage_solved
        self.assertIn("扫描仪", self._tsv(ticket))
        ticket.description = "<p>更换电源适配器后正常</p>"
        self.assertIn("适配器", self._tsv(ticket), "a solved ticket's edit re-indexes it")
        ticket.stage_id = self.env.ref("crm_plus_service.ticket_stage_in_progress")
        self.assertIsNone(self._tsv(ticket), "reopened: its words are removed")

    def test_turn_solution_into_article(self):
        ticket = self.env["crm_plus.ticket"].create({
            "name": "扫描仪无法启动", "description": "<p>按电源键没反应</p>", "partner_id": self.customer.id,
            "user_id": self.user_agent.id})
        ticket.with_user(self.user_agent).message_post(body="请换一根电源线试试。", message_type="comment",
                                                       subtype_xmlid="mail.mt_comment")
        ticket.message_post(body="内部备注", message_type="comment", subtype_xmlid="mail.mt_note")
        ticket.stage_id = self.stage_solved
        action = ticket.with_user(self.user_agent).action_kb_create_article()
        article = self.env["crm_plus.kb.article"].browse(action["res_id"])
        self.assertEqual((article.name, article.source_ticket_id, article.is_published),
                         ("扫描仪无法启动", ticket, False))
        self.assertIn("请换一根电源线试试", article.body)
        self.assertIn("按电源键没反应", article.body)
        self.assertNotIn("内部备注", article.body, "internal notes stay out")
        self.assertEqual(self.env["crm_plus.kb.article"]._crm_plus_kb_search("扫描仪 电源线")[:1], article)
