"""Split person names into surname / given name / title ("张总", "欧阳修", "Mr. John Smith").

Chinese names are converted to simplified characters; Latin letters in a name that contains Chinese
characters are ignored ("张伟 David" → 张 / 伟). ``full`` is the name without its title.
"""

import re
from functools import lru_cache
from typing import NamedTuple

from ._text import CJK_CHARS, has_cjk, nfkc, to_simplified

__all__ = ["COMPOUND_SURNAMES", "PersonName", "person_key", "split_salutation"]

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 轩辕 独孤 南宫 西门 百里 "
    "呼延 东郭 万俟 闻人 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 钟离 仲孙 赫连 第五 公羊 谷梁 拓跋 完颜 "
    "乐正 漆雕 司空 司寇 羊舌 左丘 梁丘 鲜于 公西 巫马 亓官".split()
)

# Common single-character surnames, used to recognise familiar forms such as 老王 / 小李.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)

# Titles written after a Chinese name; single characters only count right after a bare surname (张总, 王工).
_CN_TITLES = sorted(
    "董事长 副董事长 总经理 副总经理 总裁 副总裁 总监 副总 老总 总工 经理 主管 主任 主席 董事 先生 女士 小姐 太太 "
    "夫人 老师 工程师 老板 律师 医生 大夫 博士 教授 部长 处长 科长 局长 厅长 院长 校长 所长 厂长 店长 行长 会计 "
    "秘书 书记 助理 师傅 阿姨 同学".split(),
    key=len,
    reverse=True,
)
_CN_SHORT_TITLES = ("总", "工", "姐", "哥")
_CN_FAMILIAR_PREFIXES = ("老", "小", "阿")

_LATIN_TITLES = {
    "mr": "Mr",
    "mister": "Mr",
    "mrs": "Mrs",
    "ms": "Ms",
    "miss": "Miss",
    "mx": "Mx",
    "dr": "Dr",
    "doctor": "Dr",
    "prof": "Prof",
    "professor": "Prof",
    "sir": "Sir",
    "madam": "Madam",
    "mme": "Mme",
    "mlle": "Mlle",
    "herr": "Herr",
    "frau": "Frau",
}
_LATIN_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"})
_CJK_RUN_RE = re.compile(f"[{CJK_CHARS}·•]+")


class PersonName(NamedTuple):
    """A person name split into its parts."""

    surname: str
    given: str
    title: str
    full: str


def _split_surname(name):
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _is_bare_surname(name):
    return len(name) == 1 or name in COMPOUND_SURNAMES


def _split_chinese(text):
    name = "".join(_CJK_RUN_RE.findall(to_simplified(text))).strip("·•")
    title = ""
    for candidate in _CN_TITLES:
        if name.endswith(candidate):
            title, name = candidate, name[: -len(candidate)]
            break
    else:
        if len(name) > 1 and name.endswith(_CN_SHORT_TITLES) and _is_bare_surname(name[:-1]):
            title, name = name[-1], name[:-1]
        elif len(name) == 2 and name.startswith(_CN_FAMILIAR_PREFIXES) and name[1] in COMMON_SURNAMES:
            title, name = name[0], name[1]
    if "·" in name or "•" in name:  # transliterated foreign name: 约翰·史密斯
        parts = [part for part in re.split("[·•]", name) if part]
        if not parts:
            return PersonName("", "", title, "")
        surname, given = parts[-1], "".join(parts[:-1])
        return PersonName(surname, given, title, "·".join(parts))
    surname, given = _split_surname(name)
    return PersonName(surname, given, title, name)


def _split_latin(text):
    text = " ".join(text.split())
    title = ""
    while True:
        head, _, rest = text.partition(" ")
        word = head.rstrip(".,").lower()
        if word not in _LATIN_TITLES:
            break
        title = title or _LATIN_TITLES[word]
        text = rest
    if text.count(",") == 1:
        last, first = (part.strip() for part in text.split(","))
        if first.rstrip(".").lower() in _LATIN_SUFFIXES:  # "John Smith, Jr."
            text = last
        else:  # "Smith, John"
            text = f"{first} {last}".strip()
    tokens = [token for token in re.split(r"[\s,]+", text) if token.strip(".")]
    while len(tokens) > 1 and tokens[-1].rstrip(".").lower() in _LATIN_SUFFIXES:
        tokens.pop()
    if not tokens:
        return PersonName("", "", title, "")
    return PersonName(tokens[-1], " ".join(tokens[:-1]), title, " ".join(tokens))


@lru_cache(maxsize=8192)
def split_salutation(raw):
    """Split a name (possibly with a title) into ``PersonName(surname, given, title, full)``."""
    text = nfkc(raw).strip()
    if not text:
        return PersonName("", "", "", "")
    if has_cjk(text):
        return _split_chinese(text)
    return _split_latin(text)


def person_key(raw):
    """Duplicate-matching key: surname + given name, or surname + '*' when only the surname is known."""
    name = split_salutation(raw)
    if not name.surname:
        return ""
    if not name.given:
        return f"{name.surname}*".casefold()
    separator = "" if has_cjk(name.surname) else " "
    return f"{name.surname}{separator}{name.given}".casefold()
