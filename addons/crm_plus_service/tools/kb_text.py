"""Words of a text for the knowledge base's full-text search: Chinese is segmented with jieba (PostgreSQL's
parsers do not split Chinese), Latin words are lowercased; the result feeds a ``simple`` tsvector/tsquery."""

import logging
import re

import jieba
import jieba.analyse

from odoo.tools import html2plaintext

jieba.setLogLevel(logging.WARNING)

# a token worth indexing: letters, digits or CJK characters only (nothing a tsquery would parse as an operator)
_TOKEN = re.compile(r"^\w+$", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u9fff]")
# words too common to tell two requests apart
STOP_WORDS = frozenset(
    "的 了 是 在 我 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看 好 自己 这 那 吗 呢 吧 啊 "
    "请 谢谢 您好 你好 我们 你们 他们 什么 怎么 怎么办 可以 还是 已经 但是 因为 所以 如果 "
    "the a an and or of to in on for is are was were be it this that with as at by from "
    "i you we my our your please thanks hello hi not no can".split())
MAX_QUERY_WORDS = 32


def plain(text):
    """``text`` without HTML tags, entities decoded (Odoo's own conversion, without the links' references)."""
    return html2plaintext(text, include_references=False) if text else ""


def segment(text):
    """The words of ``text`` in order, for indexing: jieba's search mode (long words and their parts),
    lowercased, stop words, punctuation and single Latin letters dropped."""
    return [word for word in (piece.strip() for piece in jieba.cut_for_search(plain(text).lower()))
            if _indexable(word)]


def _indexable(word):
    """A word worth indexing: not empty, no stop word nor punctuation, a single letter only if CJK or a digit."""
    if not word or word in STOP_WORDS or not _TOKEN.match(word):
        return False
    return len(word) > 1 or bool(_CJK.match(word)) or word.isdigit()


def document(*texts):
    """The text to store with ``to_tsvector('simple', ...)``: the words of ``texts`` joined by spaces."""
    return " ".join(word for text in texts for word in segment(text))


def query_words(text, limit=MAX_QUERY_WORDS):
    """The first ``limit`` distinct words of ``text``, in order."""
    seen = []
    for word in segment(text):
        if word not in seen:
            seen.append(word)
        if len(seen) >= limit:
            break
    return seen


def keywords(text, limit=8):
    """The ``limit`` words of ``text`` that tell it apart best (TF-IDF over jieba's general Chinese corpus),
    best first; the words of ``text`` when it has no keyword. Searching for these rather than every word
    keeps common words (处理, 麻烦, 尽快) from matching most of the index."""
    found = [w for w in jieba.analyse.extract_tags(plain(text).lower(), topK=limit * 2) if _indexable(w)]
    return found[:limit] or query_words(text, limit)


def query(text, limit=MAX_QUERY_WORDS):
    """A ``to_tsquery('simple', ...)`` expression matching any distinct word of ``text`` (None when it has
    none): ``'打印机' | '卡纸'``; words are ``\\w`` only, so nothing in them is a tsquery operator."""
    return " | ".join("'%s'" % word for word in query_words(text, limit)) or None
