"""docs/architecture.md's "Where is it" table stays true: every file it names exists, every method is defined."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
METHOD = re.compile(r"^(?:_\w+|action_\w+|create|write|init)$")


def _rows():
    text = DOC.read_text()
    table = text.split("## Where is it", 1)[1].split("\n\n", 2)[2]
    for line in table.splitlines():
        if not line.startswith("|"):
            break
        if line.startswith("|---"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0] == "behaviour":
            continue
        yield cells


def _addon(cell):
    for name in ("crm_plus_service", "crm_plus_reports"):
        if cell.startswith(name):
            return name
    return "crm_plus"


def test_where_is_it_table_is_true():
    rows = list(_rows())
    assert len(rows) > 20
    missing = []
    for behaviour, files_cell, methods_cell in rows:
        addon = ROOT / "addons" / _addon(files_cell)
        files = [addon / path for path in re.findall(r"`([^`]+\.(?:py|xml))`", files_cell)]
        assert files, "no file named for %r" % behaviour
        for path in files:
            if not path.is_file():
                missing.append("%s: no file %s" % (behaviour, path.relative_to(ROOT)))
        sources = "\n".join(path.read_text() for path in files if path.is_file())
        for name in re.findall(r"`?(\b[\w]+)\b`?", methods_cell):
            if METHOD.match(name) and not re.search(r"^\s*def %s\(|^\s*%s = " % (name, name), sources, re.M):
                missing.append("%s: %s not defined in %s" % (behaviour, name, files_cell))
    assert not missing, "\n".join(missing)
