"""zh_CN is a first-class language: every exported term of every addon is translated, placeholders intact."""

import re
from pathlib import Path

import polib
import pytest

ADDONS = Path(__file__).resolve().parent.parent / "addons"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")


@pytest.mark.parametrize("addon", ["crm_plus", "crm_plus_service", "crm_plus_reports"])
def test_zh_cn_complete(addon):
    pot = polib.pofile(str(ADDONS / addon / "i18n" / ("%s.pot" % addon)))
    po = {e.msgid: e for e in polib.pofile(str(ADDONS / addon / "i18n" / "zh_CN.po"))}
    missing = [e.msgid for e in pot if e.msgid not in po or not po[e.msgid].msgstr]
    assert not missing, "untranslated in %s/i18n/zh_CN.po: %s" % (addon, missing[:20])
    fuzzy = [m for m, e in po.items() if "fuzzy" in e.flags]
    assert not fuzzy, "fuzzy: %s" % fuzzy[:20]
    broken = [m for m, e in po.items() if sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(e.msgstr))]
    assert not broken, "placeholders differ: %s" % broken[:20]
