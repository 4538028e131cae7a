"""Masking of contact details (phone numbers, e-mail addresses) for users who may not see them.

Pure functions: ``mask_phone("13812345678") == "138****5678"``,
``mask_email("zhang.wei@example.com") == "z***@example.com"``. A masked value keeps enough to recognise a
number or an address someone already knows (first and last digits, the e-mail domain), never enough to
call or write.
"""

import re

__all__ = ["mask_email", "mask_phone", "mask_value"]

_LOCAL_PART_RE = re.compile(r"([^\s<>,;:@\"'()\[\]、]+)@")
# what a masked digit or local part becomes
STAR = "*"


def mask_phone(value):
    """``value`` with its digits hidden except the first three and the last four.

    Separators and a leading "+" stay where they are: "021-6288 1234" -> "021-****1234",
    "13812345678" -> "138****5678". Short numbers (seven digits or fewer) keep only their last two digits.
    Empty values are returned unchanged.
    """
    if not value:
        return value
    digits = sum(ch.isdigit() for ch in value)
    keep_head, keep_tail = (3, 4) if digits > 7 else (0, 2)
    out, seen = [], 0
    for ch in value:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= keep_head or seen > digits - keep_tail else STAR)
        else:
            out.append(ch)
    return "".join(out)


def mask_email(value):
    """``value`` with the local part of every address in it hidden but its first character:
    "zhang@qq.com" -> "z***@qq.com", '"张三" <zhang@qq.com>, li@163.com' -> '"张三" <z***@qq.com>, l***@163.com'.

    A text without "@" is hidden entirely but its first character.
    """
    if not value:
        return value
    if "@" not in value:
        return value[:1] + STAR * 3
    return _LOCAL_PART_RE.sub(lambda m: m.group(1)[:1] + STAR * 3 + "@", value)


def mask_value(kind, value):
    """``value`` masked as a ``kind`` ("phone" or "email") value; other values are not contact data."""
    if not isinstance(value, str):
        return value
    if kind == "phone":
        return mask_phone(value)
    if kind == "email":
        return mask_email(value)
    return value
