"""Every translatable term of the addons' code and data is in their .pot (so zh_CN.po can translate it)."""

import ast
from pathlib import Path

import polib
from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ADDONS = Path(__file__).resolve().parent.parent.parent


@tagged("post_install", "-at_install", "crm_plus_i18n")
class TestI18nTemplate(TransactionCase):
    def test_every_term_is_in_the_template(self):
        modules = self.env["ir.module.module"].search([
            ("name", "in", ["crm_plus", "crm_plus_service", "crm_plus_reports"]), ("state", "=", "installed")])
        self.assertIn("crm_plus", modules.mapped("name"))
        for name in modules.mapped("name"):
            with self.subTest(addon=name):
                demo = self._demo_xmlids(name)
                template = {entry.msgid for entry in polib.pofile(str(ADDONS / name / "i18n" / ("%s.pot" % name)))}
                exported = {source for module, _type, _name, res_id, source, _value, _comments
                            in TranslationModuleReader(self.env.cr, modules=[name], lang="zh_CN")
                            if module == name and source and not self._is_demo(res_id, demo)}
                missing = sorted(exported - template)
                self.assertFalse(missing, "terms of %s missing from i18n/%s.pot (run `python3 scripts/crmplus.py "
                                          "i18n`): %s" % (name, name, missing[:20]))

    def test_every_translated_call_of_the_code_is_in_the_template(self):
        """Every literal term passed to ``_()``, ``_lt()`` or ``env._()`` in the addons' Python code is in their
        .pot, also where Odoo's extractor does not look (a term nested in another term's arguments)."""
        for addon in ("crm_plus", "crm_plus_service", "crm_plus_reports"):
            folder = ADDONS / addon
            if not (folder / "__manifest__.py").exists():
                continue
            template = {entry.msgid for entry in polib.pofile(str(folder / "i18n" / ("%s.pot" % addon)))}
            missing = []
            for path in sorted(folder.rglob("*.py")):
                if "tests" in path.relative_to(folder).parts:
                    continue
                for node in ast.walk(ast.parse(path.read_text(), str(path))):
                    term = self._translated_term(node)
                    if term is not None and term not in template:
                        missing.append("%s:%s %r" % (path.relative_to(ADDONS), node.lineno, term))
            with self.subTest(addon=addon):
                self.assertFalse(missing, "terms missing from i18n/%s.pot: %s" % (addon, missing[:20]))

    def test_the_code_scan_sees_nested_terms(self):
        """The scan above finds a term nested in another term's arguments (the case the extractor misses)."""
        code = 'body = _("Waits in the queue%(team)s.", team=(" " + _("of %(team)s", team=name)) if team else "")'
        terms = {self._translated_term(node) for node in ast.walk(ast.parse(code))} - {None}
        self.assertEqual(terms, {"Waits in the queue%(team)s.", "of %(team)s"})

    @staticmethod
    def _translated_term(node):
        """The literal term of a ``_("...")``, ``_lt("...")`` or ``self.env._("...")`` call, else None."""
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            return None
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        return node.args[0].value if name in ("_", "_lt") else None

    @staticmethod
    def _is_demo(res_id, demo):
        """A term of a demo record, or of the parent record Odoo makes for it (a product's template is
        ``<xml id>_product_template``)."""
        return isinstance(res_id, str) and (res_id in demo or any(res_id.startswith(xmlid + "_") for xmlid in demo))

    def _demo_xmlids(self, addon):
        """xml ids of the addon's demo records: the template is exported without demo data."""
        manifest = ast.literal_eval((ADDONS / addon / "__manifest__.py").read_text())
        ids = set()
        for path in manifest.get("demo", []):
            for node in etree.parse(str(ADDONS / addon / path)).iter("record", "template", "menuitem"):
                xmlid = node.get("id")
                if xmlid:
                    ids.add(xmlid if "." in xmlid else "%s.%s" % (addon, xmlid))
        return ids
