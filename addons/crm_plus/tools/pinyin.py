"""Pinyin search keys ("张伟" → "zhangwei", "zw")."""

import re
from functools import lru_cache

from ._text import CJK_CHARS, nfkc, to_simplified

__all__ = ["SURNAME_READINGS", "pinyin_keys"]

_TOKEN_RE = re.compile(f"[{CJK_CHARS}]+|[a-z]+|[0-9]+")

# Readings of characters that are pronounced differently when used as a surname.
SURNAME_READINGS = {
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"),
    "曾": ("zeng",),
    "单": ("shan",),
    "解": ("xie",),
    "仇": ("qiu",),
    "朴": ("piao",),
    "查": ("zha",),
    "区": ("ou",),
    "乐": ("yue",),
    "秘": ("bi",),
    "重": ("chong",),
    "盖": ("ge",),
    "缪": ("miao",),
    "覃": ("qin",),
    "翟": ("zhai",),
    "种": ("chong",),
    "折": ("she",),
    "尉": ("wei",),
    "员": ("yun",),
    "繁": ("po",),
    "句": ("gou",),
    "么": ("yao",),
    "沈": ("shen",),
    "华": ("hua",),
    "任": ("ren",),
    "燕": ("yan",),
    "纪": ("ji",),
    "藏": ("zang",),
    "那": ("na",),
    "隗": ("wei",),
}


@lru_cache(maxsize=1)
def _pinyin_module():
    """Import pypinyin on first use (its dictionaries take ~0.2 s to load)."""
    import pypinyin

    return pypinyin


@lru_cache(maxsize=65536)
def _word_syllables(word):
    """The syllables of one word of pypinyin's segmentation (a phrase of its dictionary or one character)."""
    pypinyin = _pinyin_module()
    return tuple(pypinyin.lazy_pinyin(word, style=pypinyin.Style.NORMAL, errors="ignore"))


@lru_cache(maxsize=1)
def _segmenter():
    """pypinyin's own segmentation (the one ``lazy_pinyin`` applies), imported with pypinyin on first use."""
    _pinyin_module()
    from pypinyin.seg.simpleseg import seg

    return seg


def _syllables(chinese):
    """``lazy_pinyin(chinese)``, word by word: pypinyin reads each word of its segmentation on its own, so
    the words of company and person names (城市, 科技, 有限公司 ...) are read once per process, not per name."""
    return [syllable for word in _segmenter()(chinese) for syllable in _word_syllables(word)]


def _surname_syllables(chinese):
    """Split the surname readings off a person name: ``(syllables, rest)``."""
    for length in (2, 1):
        readings = SURNAME_READINGS.get(chinese[:length])
        if readings:
            return list(readings), chinese[length:]
    return [], chinese


@lru_cache(maxsize=65536)
def pinyin_keys(text, person=False):
    """Return ``(full, initials)``: tone-less lower-case pinyin without spaces, and first letters.

    Latin words and digits are kept lower-cased (initials keep a word's first letter and whole digit runs).
    With ``person=True`` the first Chinese characters get their surname reading (曾 zeng, 单 shan ...).
    """
    text = to_simplified(nfkc(text)).lower()
    full, initials = [], []
    first = True
    for token in _TOKEN_RE.findall(text):
        if token.isdigit():
            full.append(token)
            initials.append(token)
        elif token.isascii():
            full.append(token)
            initials.append(token[0])
        else:
            syllables, rest = _surname_syllables(token) if person and first else ([], token)
            syllables += _syllables(rest) if rest else []
            syllables = [syllable.lower() for syllable in syllables if syllable]
            full.extend(syllables)
            initials.extend(syllable[0] for syllable in syllables)
        first = False
    return "".join(full), "".join(initials)
