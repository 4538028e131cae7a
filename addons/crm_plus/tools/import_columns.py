"""Guess which customer field a spreadsheet column holds, from its header (Chinese or English)."""

import re

from ._text import fold, nfkc, to_simplified
from .identity import KEY_PRIORITY  # the one order of key kinds, kept importable from here

__all__ = ["BATCH_SIZE", "COUNTRY_ALIASES", "FILLABLE_FIELDS", "HEADER_ALIASES", "KEY_PRIORITY", "PREVIEW_LINES",
           "TEXT_TARGETS", "guess_mapping", "guess_target", "header_key", "parse_bool_company", "state_key"]

# target -> header spellings, most specific first; compared after ``header_key``
HEADER_ALIASES = {
    "name": ["客户名称", "公司名称", "企业名称", "单位名称", "客户名", "客户", "名称", "姓名", "name", "customer",
             "customer name", "company name", "company", "partner"],
    "is_company": ["客户类型", "公司/个人", "类型", "是否公司", "is company", "company type", "type"],
    "uscc": ["统一社会信用代码", "社会信用代码", "信用代码", "uscc", "credit code", "unified social credit code"],
    "vat": ["税号", "纳税人识别号", "vat", "tax id", "tax number"],
    "phone": ["电话", "座机", "固定电话", "办公电话", "联系电话", "phone", "telephone", "tel", "landline"],
    "mobile": ["手机", "手机号", "手机号码", "移动电话", "mobile", "mobile phone", "cell", "cellphone"],
    "email": ["邮箱", "电子邮件", "电子邮箱", "邮件", "email", "e-mail", "mail"],
    "street": ["地址", "详细地址", "街道", "通讯地址", "street", "address"],
    "city": ["城市", "所在城市", "市", "city", "town"],
    "state": ["省份", "省", "省/直辖市", "州", "state", "province", "region"],
    "country": ["国家", "国家/地区", "country"],
    "zip": ["邮编", "邮政编码", "zip", "zip code", "postcode", "postal code"],
    "website": ["网站", "网址", "官网", "website", "web", "url"],
    "comment": ["备注", "说明", "notes", "note", "comment", "comments", "remark", "remarks"],
    "customer_level": ["客户等级", "客户级别", "等级", "级别", "level", "customer level", "grade"],
    "salesperson": ["销售员", "负责人", "销售", "业务员", "客户经理", "salesperson", "sales person", "owner",
                    "account manager"],
    "function": ["职位", "职务", "岗位", "job position", "job title", "position", "title", "function"],
    "parent": ["所属公司", "上级公司", "所属客户", "parent company", "parent", "related company"],
    "contact_name": ["联系人", "联系人姓名", "联系人名称", "contact", "contact name", "contact person"],
}

_SPACES_RE = re.compile(r"[\s_*:：()（）\[\]【】]+")

# values of an "is company" column meaning company / person
_COMPANY_WORDS = {"公司", "企业", "单位", "法人", "company", "organization", "organisation", "business", "b2b",
                  "yes", "y", "true", "1", "是"}
_PERSON_WORDS = {"个人", "自然人", "个体", "person", "individual", "private", "b2c", "no", "n", "false", "0", "否"}


def header_key(header):
    """Comparable form of a header: NFKC, simplified, lower-case, without spaces, stars and brackets."""
    text = to_simplified(nfkc(header)).casefold()
    return _SPACES_RE.sub(" ", text).strip()


_ALIAS_INDEX = {header_key(alias): target for target, aliases in HEADER_ALIASES.items() for alias in aliases}


def guess_target(header):
    """The target a header most likely means, or ``None``."""
    key = header_key(header)
    if not key:
        return None
    if key in _ALIAS_INDEX:
        return _ALIAS_INDEX[key]
    compact = key.replace(" ", "")
    if compact in _ALIAS_INDEX:
        return _ALIAS_INDEX[compact]
    return None


def guess_mapping(headers, known=None):
    """One target per header (or ``None``), each target used once, the first matching column wins.

    ``known`` maps ``header_key(header)`` to a target chosen before (a saved template); it wins over guesses.
    """
    known = known or {}
    used = set()
    result = []
    for header in headers:
        key = header_key(header)
        target = known.get(key) if key in known else guess_target(header)
        if target and target in used:
            target = None
        if target:
            used.add(target)
        result.append(target)
    return result


def parse_bool_company(raw):
    """True for 公司/company..., False for 个人/person..., ``None`` when the value means neither."""
    key = header_key(raw)
    if key in _COMPANY_WORDS:
        return True
    if key in _PERSON_WORDS:
        return False
    return None


# rows created or updated per batch (one key lookup, one create, one commit in the cron)
BATCH_SIZE = 1000
# rows kept as preview lines
PREVIEW_LINES = 200
# partner fields an import may fill on an existing customer when they are empty there
FILLABLE_FIELDS = ("uscc", "vat", "phone", "mobile", "email", "street", "city", "state_id", "country_id", "zip",
                   "website", "comment", "customer_level_id", "user_id", "function")
# targets holding plain text, copied to the partner field of the same meaning
TEXT_TARGETS = {"street": "street", "city": "city", "zip": "zip", "website": "website", "comment": "comment",
                "function": "function"}
STATE_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市")
# a few Chinese country names, for databases where Chinese is not loaded
COUNTRY_ALIASES = {"中国": "CN", "中国大陆": "CN", "中华人民共和国": "CN", "香港": "HK", "中国香港": "HK",
                   "澳门": "MO", "中国澳门": "MO", "台湾": "TW", "中国台湾": "TW", "美国": "US", "英国": "GB",
                   "日本": "JP", "韩国": "KR", "德国": "DE", "法国": "FR", "新加坡": "SG"}


def state_key(text):
    """``text`` (a province or state name) folded and without its suffix: "江苏省" -> "江苏"."""
    key = fold(text)
    for suffix in STATE_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key
