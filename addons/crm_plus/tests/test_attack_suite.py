"""The generated attack suite: cases derived from the models, the roles and the field lists, not written
one by one. A model that takes the masking mixin, a field added to ``_crm_plus_masked_fields``, a new role
group of the addons or a field added to the ownership and identity lists is covered without a new test.

Read side: every role group of the addons (``crm_plus.group_crm_plus_*``,
``crm_plus_service.group_crm_plus_service_*``) × every model inheriting ``crm_plus.contact.mask.mixin`` ×
every masked field × every read path (read, search_read, web_read, web_search_read, read_group aggregate
and groupby, web_read_group, onchange copying from a masked customer, default_get of the addons' wizards,
display name under each context key it depends on, export_data, search with =, =like and ilike, mail
tracking values, suggested recipients) → the real value never comes out, or the call is refused.

Write side: every ownership and identity field × every indirect write path (parent, type, company, archive,
merge, import) × every role lacking the right → refused, the field unchanged.
"""

import base64
import contextlib
import logging

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..models.res_partner_ownership import GUARDED_IDENTITY_FIELDS, HOLDER_FIELDS, POOL_FIELDS
from .common import CrmPlusCase
from .test_import import xlsx_bytes

# modules whose role groups the suite attacks with, and the prefix of those groups' xml ids
ROLE_PREFIXES = {"crm_plus": "group_crm_plus_", "crm_plus_service": "group_crm_plus_service_"}
# context keys that cannot add anything about a record to its display name
NEUTRAL_CONTEXT = {"lang", "uid", "tz", "company", "allowed_company_ids", "active_test"}
REFUSED = (AccessError, UserError, ValidationError)

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install", "crm_plus_scope", "crm_plus_attack")
class TestAttackSuite(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        params = env["ir.config_parameter"].sudo()
        for name in ("mask_sales_user", "mask_team_leader", "mask_finance"):
            params.set_param("crm_plus.%s" % name, "True")
        export = env.ref("base.group_allow_export")
        # one user per role group of the addons, holding that group only (and what it implies)
        data = env["ir.model.data"].sudo().search([("model", "=", "res.groups"), ("module", "in", list(ROLE_PREFIXES))])
        cls.roles = {}
        for record in data.sorted("name"):
            if record.name.startswith(ROLE_PREFIXES[record.module]):
                xmlid = "%s.%s" % (record.module, record.name)
                cls.roles[xmlid] = new_test_user(env, login="atk_%s" % record.name, groups=xmlid, lang="en_US")
                cls.roles[xmlid].groups_id = [Command.link(export.id)]
        cls.owner = new_test_user(env, login="atk_owner", groups="crm_plus.group_crm_plus_user", lang="en_US")
        cls.pool = env["crm_plus.pool"].create({"name": "Attack Pool"})
        Partner = env["res.partner"]
        cls.pooled = Partner.create({
            "name": "Attack Pool Co", "is_company": True, "pool_id": cls.pool.id, "phone": "+86 139 7200 0001",
            "mobile": "+86 139 7200 0002", "email": "pooled.real@attack.example", "street": "Pool Road 1"})
        cls.pooled_person = Partner.create({
            "name": "Attack Pool Person", "pool_id": cls.pool.id, "phone": "+86 139 7200 0003",
            "email": "pooled.person@attack.example"})
        cls.owned = Partner.create({
            "name": "Attack Owned Co", "is_company": True, "user_id": cls.owner.id, "phone": "+86 139 7200 0004",
            "email": "owned.real@attack.example"})
        cls.owned_contact = Partner.create({
            "name": "Attack Owned Contact", "parent_id": cls.owned.id, "user_id": False,
            "phone": "+86 139 7200 0005", "mobile": "+86 139 7200 0006", "email": "contact.real@attack.example"})
        Lead = env["crm.lead"].with_context(crm_plus_no_routing=True)
        cls.pool_lead = Lead.create({"name": "Attack pool lead", "partner_id": cls.pooled.id, "user_id": False,
                                     "team_id": False, "phone": "+86 139 7200 0007", "mobile": "+86 139 7200 0008",
                                     "email_from": "lead.real@attack.example"})
        cls.pool_lead.user_id = False
        # a locked company: a confirmed order
        cls.locked = Partner.create({"name": "Attack Locked Co", "is_company": True, "user_id": False,
                                     "vat": False, "city": False})
        product = env["product.product"].create({"name": "Attack Product", "type": "service", "list_price": 1.0})
        order = env["sale.order"].create({"partner_id": cls.locked.id,
                                          "order_line": [Command.create({"product_id": product.id})]})
        order.action_confirm()
        cls.masked_models = sorted(env.registry["crm_plus.contact.mask.mixin"]._inherit_children)

    # --- helpers ------------------------------------------------------------------------------------

    def _masked_cases(self, user):
        """[(model, record as the user, field, real value)] of the records masked for ``user`` with a value."""
        cases = []
        for model in self.masked_models:
            Model = self.env[model].with_user(user)
            try:
                records = Model.search([])
            except AccessError:
                continue
            masked = Model.browse(sorted(records._crm_plus_masked_ids()))
            for record in masked:
                for fname in sorted(Model._crm_plus_mask_kinds(set(Model._fields))):
                    value = record.sudo()[fname]
                    if isinstance(value, str) and len(value) > 4:
                        cases.append((model, record, fname, value))
        return cases

    @staticmethod
    def _secret(value):
        """The part of a real value a masked one never shows (its middle digits, its e-mail local part)."""
        if "@" in value:
            return value.split("@")[0].split("<")[-1].strip()[1:]
        digits = "".join(ch for ch in value if ch.isdigit())
        return digits[3:-4] if len(digits) > 7 else digits[:-2]

    def assertHidden(self, secret, shown, msg):
        self.assertTrue(secret)
        self.assertNotIn(secret, "".join(ch for ch in str(shown) if ch.isalnum() or ch in "._-"), msg)

    @staticmethod
    def _value_paths(Model, record, fname):
        """{path: call} of the paths returning the value of ``fname`` of ``record``."""
        return {
            "read": lambda: record.read([fname]),
            "search_read": lambda: Model.search_read([("id", "=", record.id)], [fname]),
            "web_read": lambda: record.web_read({fname: {}}),
            "web_search_read": lambda: Model.web_search_read([("id", "=", record.id)], {fname: {}}),
            "export_data": lambda: record.export_data([fname]),
        }

    @staticmethod
    def _group_paths(Model, fname):
        """{path: call} of the paths grouping or aggregating ``fname``."""
        return {
            "read_group aggregate": lambda: Model.read_group([], ["%s:array_agg" % fname], []),
            "read_group groupby": lambda: Model.read_group([], ["__count"], [fname]),
            "web_read_group": lambda: Model.web_read_group([], ["__count"], [fname]),
        }

    def _is_masked_role(self, user):
        return user._crm_plus_contact_scope() is not None

    # --- read side ----------------------------------------------------------------------------------

    def test_masked_models_found(self):
        self.assertIn("res.partner", self.masked_models)
        self.assertIn("crm.lead", self.masked_models)
        self.assertIn("crm_plus.group_crm_plus_user", self.roles)
        masked_roles = [xmlid for xmlid, user in self.roles.items() if self._is_masked_role(user)]
        self.assertIn("crm_plus.group_crm_plus_user", masked_roles)
        self.assertIn("crm_plus.group_crm_plus_finance", masked_roles)

    def test_read_paths(self):
        count = 0
        for xmlid, user in self.roles.items():
            cases = self._masked_cases(user)
            if self._is_masked_role(user):
                self.assertTrue(cases, "%s is masked and reads masked records" % xmlid)
            for model, record, fname, value in cases:
                secret = self._secret(value)
                Model = self.env[model].with_user(user)
                field = Model._fields[fname]
                for path, call in self._value_paths(Model, record, fname).items():
                    with self.subTest(role=xmlid, model=model, field=fname, path=path):
                        count += 1
                        self.assertHidden(secret, call(), path)
                if field.store and field.column_type:
                    for path, call in self._group_paths(Model, fname).items():
                        with self.subTest(role=xmlid, model=model, field=fname, path=path):
                            count += 1
                            with self.assertRaises(AccessError):
                                call()
                    for operator, pattern in (("=", value), ("=like", value[:5] + "%"), ("ilike", value[-5:])):
                        with self.subTest(role=xmlid, model=model, field=fname, path="search %s" % operator):
                            count += 1
                            self.assertFalse(Model.search([(fname, operator, pattern), ("id", "=", record.id)]))
                if field.type == "char" and "message_ids" in Model._fields:
                    with self.subTest(role=xmlid, model=model, field=fname, path="tracking"):
                        count += 1
                        message = record.sudo()._message_log(body="tracked")
                        tracking = self.env["mail.tracking.value"].sudo().create({
                            "field_id": self.env["ir.model.fields"]._get(model, fname).id,
                            "old_value_char": value, "new_value_char": value, "mail_message_id": message.id})
                        self.assertHidden(secret, tracking.with_user(user).sudo()._tracking_value_format(), "tracking")
        self.assertGreater(count, 50)
        _logger.info("attack suite: %d read-path cases", count)

    def test_record_level_paths(self):
        """Display names under each context key, suggested recipients, onchange from a masked customer,
        default_get of the addons' wizards."""
        display_keys = sorted(
            key for key in self.env.registry.field_depends_context[self.env["res.partner"]._fields["display_name"]]
            if key not in NEUTRAL_CONTEXT)
        self.assertIn("show_email", display_keys)
        wizards = [name for name, model in self.env.registry.items()
                   if model._transient and name.startswith("crm_plus") and "partner_id" in model._fields]
        linking = [name for name, model in self.env.registry.items()
                   if not model._abstract and not model._transient and "partner_id" in model._fields
                   and model._fields["partner_id"].comodel_name == "res.partner"
                   and name in self.masked_models]
        count = 0
        for xmlid, user in self.roles.items():
            for model, record, fname, value in self._masked_cases(user):
                secret = self._secret(value)
                if "message_ids" in self.env[model]._fields:
                    with self.subTest(role=xmlid, model=model, field=fname, path="suggested recipients"):
                        count += 1
                        self.assertHidden(secret, record._message_get_suggested_recipients(), "suggested")
                if model != "res.partner":
                    continue
                for key in display_keys:
                    with self.subTest(role=xmlid, field=fname, path="display_name %s" % key):
                        count += 1
                        self.assertHidden(secret, record.with_context(**{key: True}).read(["display_name"]), key)
                for target in linking:
                    with self.subTest(role=xmlid, model=target, field=fname, path="onchange partner_id"):
                        count += 1
                        Target = self.env[target].with_user(user)
                        spec = {f: {} for f in ("partner_id", *Target._crm_plus_masked_fields) if f in Target._fields}
                        try:
                            result = Target.onchange({"partner_id": record.id}, ["partner_id"], spec)
                        except AccessError:
                            continue
                        self.assertHidden(secret, result, "onchange")
                for wizard in wizards:
                    with self.subTest(role=xmlid, model=wizard, field=fname, path="default_get"):
                        count += 1
                        Wizard = self.env[wizard].with_user(user).with_context(
                            active_id=record.id, active_ids=record.ids, active_model="res.partner")
                        try:
                            defaults = Wizard.default_get(list(Wizard._fields))
                        except REFUSED:
                            continue
                        self.assertHidden(secret, defaults, "default_get")
        self.assertGreater(count, 20)
        _logger.info("attack suite: %d record-level cases", count)

    # --- write side ---------------------------------------------------------------------------------

    def _indirect_paths(self, user):
        """{path: (target partner, the call as ``user``)}: each would change a guarded field of its target."""
        Partner = self.env["res.partner"].with_user(user)
        other_company = self.env["res.company"].create({"name": "Attack Other Co %s" % user.id})
        mine = self.env["res.partner"].create({"name": "Attack Mine %s" % user.id, "is_company": True,
                                               "user_id": user.id})

        def merge(target):
            group = self.env["crm_plus.duplicate.group"].create({
                "partner_ids": [Command.set((target | mine).ids)], "master_id": mine.id})
            group.with_user(user).action_merge()

        def import_fill(target, column, value):
            job = self.env["crm_plus.import.job"].with_user(user).create({
                "file": base64.b64encode(xlsx_bytes(["客户名称", column], [[target.name, value]])),
                "filename": "attack.xlsx", "mode": "all_or_nothing"})
            job.action_import()

        return {
            "parent_id": (self.pooled_person, lambda t: (t.with_user(user).write({"parent_id": mine.id}),
                                                       t.with_user(user).write({"parent_id": False}))),
            "type": (self.locked, lambda t: Partner.browse(t.id).write({"is_company": False})),
            "company_id": (self.pooled, lambda t: Partner.browse(t.id).write({"company_id": other_company.id})),
            "active": (self.pooled, lambda t: Partner.browse(t.id).write({"active": False})),
            "merge": (self.pooled, merge),
            "import salesperson": (self.pooled, lambda t: import_fill(t, "销售员", user.name)),
            "import identity": (self.locked, lambda t: import_fill(t, "城市", "上海")),
        }

    def test_indirect_writes(self):
        guarded = {"pool": [*POOL_FIELDS, *HOLDER_FIELDS], "identity": list(GUARDED_IDENTITY_FIELDS)}
        count = 0
        for xmlid, user in self.roles.items():
            lacks = {"pool": not user.has_group("crm_plus.group_crm_plus_manager"),
                     "identity": not self.env["res.partner"].with_user(user)._crm_plus_may_edit_identity()}
            for path, (target, call) in self._indirect_paths(user).items():
                kind = "identity" if target == self.locked else "pool"
                if not lacks[kind]:
                    continue
                Partner = self.env["res.partner"].with_context(active_test=False)
                before = {f: Partner.browse(target.id)[f] for f in guarded[kind]}
                # refused, or done without changing a guarded field: the field is compared below either way
                with contextlib.suppress(*REFUSED), self.env.cr.savepoint():
                    call(target)
                    self.env.flush_all()
                self.env.invalidate_all()
                for fname in guarded[kind]:
                    with self.subTest(role=xmlid, path=path, field=fname):
                        count += 1
                        self.assertEqual(Partner.browse(target.id)[fname], before[fname])
        self.assertGreater(count, 20)
        _logger.info("attack suite: %d indirect-write cases", count)
