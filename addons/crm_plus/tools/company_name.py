"""Canonical company names for duplicate matching.

"上海华信电子科技有限公司", "华信电子科技（上海）有限公司" and "上海市華信電子科技股份有限公司" all get the core
"华信电子科技"; "The Northwind Trading Co., Ltd." and "NORTHWIND TRADING LIMITED" get "northwind trading".

Steps: NFKC, traditional → simplified, lower-case, "&" → "and", punctuation and brackets folded to spaces
(no spaces next to Chinese characters), then legal forms are cut from the end (repeatedly), a region in
brackets or at the start is taken out, and a leading "the" is dropped. Industry words (科技, 贸易 ...) stay in
the core. A leading region is kept in the core when the rest would be too generic ("北京大学" stays whole).
"""

import re
from functools import lru_cache
from typing import NamedTuple

from ._text import CJK_CHARS, CJK_RE, nfkc, to_simplified

__all__ = ["REGIONS", "CompanyName", "canonical_company_name", "is_probably_company"]

_MUNICIPALITIES = "北京 天津 上海 重庆".split()
_PROVINCES = (
    "河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 "
    "湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾"
).split()
_AUTONOMOUS_REGIONS = {
    "内蒙古": "内蒙古自治区",
    "广西": "广西壮族自治区",
    "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
}
_SPECIAL_REGIONS = "香港 澳门".split()
_CITIES = (
    # provincial capitals
    "石家庄 太原 沈阳 长春 哈尔滨 南京 杭州 合肥 福州 南昌 济南 郑州 武汉 长沙 广州 海口 成都 贵阳 昆明 西安 兰州 "
    "西宁 呼和浩特 南宁 拉萨 银川 乌鲁木齐 台北 "
    # other large cities
    "深圳 厦门 宁波 青岛 大连 苏州 无锡 常州 南通 徐州 扬州 镇江 泰州 盐城 昆山 温州 绍兴 嘉兴 金华 台州 湖州 义乌 "
    "佛山 东莞 珠海 中山 惠州 汕头 江门 湛江 烟台 潍坊 淄博 临沂 济宁 威海 唐山 保定 廊坊 洛阳 芜湖 泉州 漳州 赣州 "
    "宜昌 襄阳 株洲 岳阳 柳州 桂林 绵阳 遵义 三亚 包头 鄂尔多斯 大庆 鞍山"
).split()


def _region_variants():
    """Map every written form of a region ("上海", "上海市", "广西壮族自治区" ...) to its short name."""
    variants = {}
    for name in _MUNICIPALITIES + _CITIES:
        variants[name] = variants[f"{name}市"] = name
    for name in _PROVINCES:
        variants[name] = variants[f"{name}省"] = name
    for name, full in _AUTONOMOUS_REGIONS.items():
        variants[name] = variants[f"{name}自治区"] = variants[full] = name
    for name in _SPECIAL_REGIONS:
        variants[name] = variants[f"{name}特别行政区"] = name
    variants["吉林市"] = "吉林"
    return variants


_REGION_VARIANTS = _region_variants()
_REGION_LENGTHS = sorted({len(variant) for variant in _REGION_VARIANTS}, reverse=True)
REGIONS = frozenset(_REGION_VARIANTS.values())
_BRACKET_ONLY_REGIONS = {"中国": "中国", "中国大陆": "中国", "china": "china"}

_CN_LEGAL_FORMS = (
    "集团股份有限公司 集团有限责任公司 集团有限公司 股份有限公司 有限责任公司 "
    "有限公司 集团公司 股份公司 总公司 公司 集团 "
    "合伙企业有限合伙 合伙企业普通合伙 有限合伙企业 普通合伙企业 特殊普通合伙 有限合伙 普通合伙 合伙企业 "
    "个人独资企业 独资企业 个体工商户 个体户 农民专业合作社 专业合作社 合作社 "
    "工厂 总厂 厂 商行 工作室 经营部 门市部 商店 株式会社 有限会社 合同会社"
).split()
_CN_BRANCH_FORMS = "分公司 分厂 分店 办事处 代表处 营业部 分行 支行 分部".split()
_CN_SUFFIXES = frozenset(_CN_LEGAL_FORMS + _CN_BRANCH_FORMS)
_CN_SUFFIX_LENGTHS = sorted({len(suffix) for suffix in _CN_SUFFIXES}, reverse=True)
_CN_PREFIXES = ("株式会社", "有限会社", "合同会社")
_LATIN_LEGAL_FORMS = frozenset(
    "ltd limited inc incorporated corp corporation llc llp lp pllc ulc gmbh mbh co company plc pte pty sa sarl sas "
    "srl spa bv nv ag kg kk oy oyj ab aps se ltda sdn bhd kabushiki kaisha".split()
)

# Words too generic to be a company core on their own (a leading region is then kept in the core).
_GENERIC_WORDS = frozenset(
    (
        "大学 学院 学校 中学 小学 幼儿园 银行 医院 人民医院 中医院 诊所 科技 技术 贸易 商贸 "
        "实业 电子 集团 公司 投资 控股 发展 建设 建筑 工程 物流 传媒 文化 咨询 信息 网络 "
        "软件 电力 汽车 化工 医药 食品 农业 能源 地产 房地产 置业 物业 国际 商务 服务 管理 "
        "机械 设备 制造 纺织 服装 印刷 包装 电器 环保 教育 旅游 酒店 餐饮 广告 设计 装饰 "
        "材料 钢铁 矿业 交通 运输 航空 电视台 日报 机场 海关 图书馆 博物馆 体育 市场 营销 "
        "策划 顾问 调研 进出口 生物 新材料 供应链 人力资源 金融 保险 证券 租赁 市政 政府 "
        "人民政府 啤酒 水泥 机床 电信 移动 联通 燃气 自来水 水务 公交 地铁 港务 石化 石油 "
        "天然气 烟草 出版社 报社 广播电视台"
    ).split()
)
_GENERIC_MAX_LEN = max(map(len, _GENERIC_WORDS))

_ABBREVIATION_RE = re.compile(r"(?<![a-z0-9])[a-z](?:\.[a-z])+\.?(?![a-z0-9])")
_BRACKET_RE = re.compile(r"[(\[【「『〔〖《]([^()\[\]【】「」『』〔〕〖〗《》]*)[)\]】」』〕〗》]")
_NON_WORD_RE = re.compile(r"[^\w\s]|_")
_LAST_LATIN_WORD_RE = re.compile(r"[a-z0-9]+$")
_CJK_SPACE_RE = re.compile(f"\\s+(?=[{CJK_CHARS}])|(?<=[{CJK_CHARS}])\\s+")


class CompanyName(NamedTuple):
    """A company name split for duplicate matching."""

    core: str  # duplicate-matching key
    legal_form: str  # stripped legal form(s), '' when none
    region: str  # short region name ("上海"), '' when none
    normalized: str  # whole name, normalised and folded


def _fold(text):
    """Punctuation → space, collapse whitespace, no spaces next to CJK characters."""
    text = _NON_WORD_RE.sub(" ", text)
    text = " ".join(text.split())
    return _CJK_SPACE_RE.sub("", text)


def _prepare(raw):
    text = to_simplified(nfkc(raw)).lower()
    text = text.replace("&", " and ")
    return _ABBREVIATION_RE.sub(lambda match: match.group(0).replace(".", "") + " ", text)


def _join(parts):
    """Join name fragments with the folding rules (space only between Latin words)."""
    return _fold(" ".join(parts))


def _is_generic(text):
    """True when ``text`` is made only of generic words ("国际贸易", "大学")."""
    position = 0
    while position < len(text):
        for length in range(min(_GENERIC_MAX_LEN, len(text) - position), 1, -1):
            if text[position : position + length] in _GENERIC_WORDS:
                position += length
                break
        else:
            return False
    return True


def _at_word_start(text, end):
    """True when position ``end`` of ``text`` starts a word (start, after a space or a CJK character)."""
    return end == 0 or text[end - 1] == " " or bool(CJK_RE.match(text[end - 1]))


def _strip_leading_region(text):
    """Return (region, rest) for a leading region name, or ('', text)."""
    for length in _REGION_LENGTHS:
        prefix = text[:length]
        if len(prefix) < length or prefix not in _REGION_VARIANTS:
            continue
        rest = text[length:]
        if prefix.endswith("市") and rest.startswith("场"):  # 上海市场… is 上海 + 市场…
            continue
        return _REGION_VARIANTS[prefix], rest
    return "", text


def _strip_trailing_region(text):
    """Return (region, rest) for a region name ending ``text`` (before a branch suffix), or ('', text)."""
    for length in _REGION_LENGTHS:
        suffix = text[-length:]
        if len(text) > length and suffix in _REGION_VARIANTS:
            return _REGION_VARIANTS[suffix], text[:-length]
    return "", text


def _strip_suffix(text):
    """Remove one legal form from the end: (form, rest, is_branch) or None."""
    for length in _CN_SUFFIX_LENGTHS:
        suffix = text[-length:]
        if len(suffix) == length and suffix in _CN_SUFFIXES:
            return suffix, text[:-length].rstrip(), suffix in _CN_BRANCH_FORMS
    # the last Latin word, possibly glued to Chinese characters ("华信科技ltd")
    match = _LAST_LATIN_WORD_RE.search(text)
    if match and match.group(0) in _LATIN_LEGAL_FORMS and _at_word_start(text, match.start()):
        rest = text[: match.start()].rstrip()
        if rest.endswith(" and") or rest == "and":  # "smith and co"
            rest = rest[:-3].rstrip()
        return match.group(0), rest, False
    return None


def _strip_legal_forms(text):
    """Strip legal forms from the end, repeatedly; returns (rest, forms, branch_region)."""
    forms = []
    branch_region = ""
    while text:
        stripped = _strip_suffix(text)
        if stripped is None:
            break
        form, text, is_branch = stripped
        forms.insert(0, form)
        if is_branch and not branch_region:
            branch_region, text = _strip_trailing_region(text)
    for prefix in _CN_PREFIXES:
        if text.startswith(prefix):
            forms.insert(0, prefix)
            text = text[len(prefix) :].lstrip()
    return text, forms, branch_region


@lru_cache(maxsize=16384)
def canonical_company_name(raw):
    """Split a company name into ``CompanyName(core, legal_form, region, normalized)``."""
    prepared = _prepare(raw)
    normalized = _fold(prepared)
    if not normalized:
        return CompanyName("", "", "", "")

    bracket_regions = []

    def take_region(match):
        content = _fold(match.group(1))
        region = _REGION_VARIANTS.get(content) or _BRACKET_ONLY_REGIONS.get(content)
        if region:
            bracket_regions.append(region)
            return " "
        return f" {match.group(1)} "

    text = _fold(_BRACKET_RE.sub(take_region, prepared))
    if text.startswith("the "):
        text = text[4:]
    text, forms, branch_region = _strip_legal_forms(text)

    leading_region = ""
    rest = text
    while True:  # "江苏省南京市…": keep the most specific region
        region, remainder = _strip_leading_region(rest)
        if not region:
            break
        leading_region = region
        if len(remainder) < 2 or _is_generic(remainder):
            break  # "北京大学": the region is part of the name
        rest = remainder
    text = rest

    specific = [region for region in bracket_regions if region not in _BRACKET_ONLY_REGIONS.values()]
    region = branch_region or (specific[0] if specific else "") or leading_region
    region = region or (bracket_regions[0] if bracket_regions else "")
    return CompanyName(text.strip() or normalized, _join(forms), region, normalized)


def is_probably_company(raw):
    """True when the name ends with a legal form (有限公司, 集团, Ltd, GmbH ...)."""
    return bool(canonical_company_name(raw).legal_form)
