"""Unified Social Credit Code (统一社会信用代码, GB 32100-2015) cleaning, checking and decoding.

Layout: 1 registration authority, 2 entity type, 3-8 administrative division (GB/T 2260),
9-17 organisation code (GB 11714), 18 check character.
"""

import re

from stdnum.cn import uscc as _stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from ._text import nfkc

__all__ = ["AUTHORITIES", "ENTITY_TYPES", "PROVINCES", "check_uscc", "clean_uscc", "describe_uscc"]

_SEPARATORS_RE = re.compile(r"[\s\-\u2010-\u2015\u2212_]+")
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # digits and capitals without I, O, S, V, Z
_LETTER_AUTHORITIES = "ANY"

# Character 1: registration authority.
AUTHORITIES = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商/市场监管",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

# Characters 1-2: entity type, which depends on the authority.
ENTITY_TYPES = {
    "11": "机关",
    "12": "事业单位",
    "13": "中央编办直接管理机构编制的群众团体",
    "19": "其他",
    "21": "外国常驻新闻机构",
    "29": "其他",
    "31": "律师执业机构",
    "32": "公证处",
    "33": "基层法律服务所",
    "34": "司法鉴定机构",
    "35": "仲裁委员会",
    "39": "其他",
    "41": "外国在华文化中心",
    "49": "其他",
    "51": "社会团体",
    "52": "民办非企业单位",
    "53": "基金会",
    "59": "其他",
    "61": "外国旅游部门常驻代表机构",
    "62": "港澳台地区旅游部门常驻内地（大陆）代表机构",
    "69": "其他",
    "71": "宗教活动场所",
    "72": "宗教院校",
    "79": "其他",
    "81": "基层工会",
    "89": "其他",
    "91": "企业",
    "92": "个体工商户",
    "93": "农民专业合作社",
    "A1": "军队事业单位",
    "A9": "其他",
    "N1": "组级集体经济组织",
    "N2": "村级集体经济组织",
    "N3": "乡镇级集体经济组织",
    "N9": "其他",
    "Y1": "其他",
}

# First two digits of the administrative division code (characters 3-4 of the USCC).
PROVINCES = {
    "10": "国家级",
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}


def clean_uscc(raw):
    """NFKC, upper-case and strip spaces/dashes; ``None`` becomes ''."""
    return _SEPARATORS_RE.sub("", nfkc(raw)).upper()


def _check_letter_authority(code):
    """Checksum test for codes whose authority is a letter (A/N/Y), which stdnum rejects as a format error."""
    if not (code[0] in _LETTER_AUTHORITIES and code[1:8].isdigit() and all(char in _ALPHABET for char in code[8:])):
        return "format"
    if _stdnum_uscc.calc_check_digit(code[:17]) != code[17]:
        return "checksum"
    return None


def check_uscc(raw):
    """Validate a USCC: ``(ok, cleaned, error)`` with error in 'empty', 'length', 'format', 'checksum' or ``None``."""
    code = clean_uscc(raw)
    if not code:
        return False, "", "empty"
    try:
        _stdnum_uscc.validate(code)
    except InvalidLength:
        return False, code, "length"
    except InvalidChecksum:
        return False, code, "checksum"
    except InvalidFormat:
        error = _check_letter_authority(code)
        return error is None, code, error
    except ValidationError:
        return False, code, "format"
    return True, code, None


def _division_level(division):
    if division == "100000":
        return "national"
    if division[2:] == "0000":
        return "province"
    if division[4:] == "00":
        return "city"
    return "county"


def describe_uscc(code):
    """Decode the parts of a USCC into a dict (fields that cannot be derived are '')."""
    ok, cleaned, error = check_uscc(code)
    result = {
        "code": cleaned,
        "valid": ok,
        "error": error,
        "authority_code": "",
        "authority": "",
        "entity_type_code": "",
        "entity_type": "",
        "division_code": "",
        "division_level": "",
        "province_code": "",
        "province": "",
        "organization_code": "",
        "check_digit": "",
    }
    if len(cleaned) != 18:
        return result
    division = cleaned[2:8]
    result.update(
        authority_code=cleaned[0],
        authority=AUTHORITIES.get(cleaned[0], ""),
        entity_type_code=cleaned[:2],
        entity_type=ENTITY_TYPES.get(cleaned[:2], ""),
        organization_code=cleaned[8:17],
        check_digit=cleaned[17],
    )
    if division.isdigit():
        result.update(
            division_code=division,
            division_level=_division_level(division),
            province_code=division[:2],
            province=PROVINCES.get(division[:2], ""),
        )
    return result
