"""Shared text helpers: Unicode normalisation and traditional→simplified conversion."""

import re
import unicodedata
from functools import lru_cache

import opencc

CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
CJK_RE = re.compile(f"[{CJK_CHARS}]")


def nfkc(text):
    """NFKC-normalise ``text`` (full-width → half-width); ``None`` becomes ''."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", str(text))


def fold(text):
    """Case- and width-insensitive comparison key: NFKC, case-folded, single spaces; '' for nothing."""
    return " ".join(nfkc(text).casefold().split())


@lru_cache(maxsize=1)
def _t2s_converter():
    """Build the OpenCC traditional→simplified converter once per process."""
    return opencc.OpenCC("t2s")


def to_simplified(text):
    """Convert traditional Chinese characters to simplified ones (no-op for text without CJK)."""
    if not text or not CJK_RE.search(text):
        return text or ""
    return _t2s_converter().convert(text)


def has_cjk(text):
    """True when ``text`` contains at least one CJK (or kana/hangul) character."""
    return bool(text) and bool(CJK_RE.search(text))
