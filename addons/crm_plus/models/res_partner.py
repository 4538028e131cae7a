from datetime import timedelta

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import company_name, emails, match, person_name, phone, pinyin, uscc
from ..tools.lifecycle import LIFECYCLE_STATES, latest, lifecycle_state
from ..tools.masking import mask_value
from ..tools.reminders import months_between, upcoming_anniversary
from .crm_plus_pool import LOSS_KINDS, START_KINDS, day_start_utc

# partner fields whose change recomputes the identity keys
KEY_SOURCE_FIELDS = {"name", "phone", "mobile", "email", "uscc", "vat", "is_company", "active", "parent_id",
                     "country_id", "company_id"}
# identity fields of a company customer, guarded once it has confirmed orders or invoices
IDENTITY_FIELDS = ["name", "uscc", "vat", "phone", "mobile", "email", "street", "street2", "zip", "city",
                   "state_id", "country_id",
                   # the invoice title card (开票信息) is identity data too
                   "invoice_title", "invoice_bank_name", "invoice_bank_account", "invoice_address_phone"]
# minimum score to list another partner as a likely duplicate
DUPLICATE_MIN_SCORE = 0.6
# bump when a normalisation rule changes: the cron then recomputes every partner's keys in batches
KEYS_VERSION = 1
# roles that see the money of a customer (finance view)
FINANCE_GROUPS = "crm_plus.group_crm_plus_finance,crm_plus.group_crm_plus_manager"
KEY_FIELDS = ["phone_e164", "mobile_e164", "phone_extension", "phone_key_invalid", "email_keys", "company_name_core",
              "company_legal_form", "company_name_region", "company_name_pinyin", "person_surname", "person_title",
              "name_pinyin", "name_initials"]


class ResPartner(models.Model):
    # data scopes and contact masking: see crm_plus_scope_mixin.py, crm_plus_contact_mask_mixin.py
    _name = "res.partner"  # several _inherit without _name would make a new model named "ResPartner"
    _inherit = ["res.partner", "crm_plus.scope.mixin", "crm_plus.contact.mask.mixin"]
    _crm_plus_masked_fields = {
        "phone": "phone", "mobile": "phone", "phone_e164": "phone", "mobile_e164": "phone",
        "phone_sanitized": "phone", "email": "email", "email_keys": "email", "email_normalized": "email",
        "email_formatted": "email",
    }
    # many2one and quick search also find "zhangwei" / "zw" for 张伟, and the USCC
    _rec_names_search = ["complete_name", "email", "ref", "vat", "company_registry", "uscc", "name_pinyin",
                         "name_initials"]

    # tracked identity fields (base declares them without tracking)
    name = fields.Char(tracking=True)
    vat = fields.Char(tracking=True)
    phone = fields.Char(tracking=True)
    mobile = fields.Char(tracking=True)
    email = fields.Char(tracking=True)

    customer_level_id = fields.Many2one(
        "crm_plus.customer.level",
        string="Customer Level",
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        ondelete="set null",
        help="The team that owns this customer; follows the salesperson's team unless set by hand.",
    )

    # --- master data: the USCC and the normalised keys ---------------------------------------------
    uscc = fields.Char(
        string="USCC",
        tracking=True,
        copy=False,
        help="Unified Social Credit Code (统一社会信用代码), 18 characters; stored upper-case without spaces.",
    )
    uscc_authority = fields.Char(string="USCC Registration Authority", compute="_compute_uscc_info")
    uscc_entity_type = fields.Char(string="USCC Entity Type", compute="_compute_uscc_info")
    uscc_region = fields.Char(string="USCC Region", compute="_compute_uscc_info")
    phone_e164 = fields.Char(string="Phone (E.164)", compute="_compute_phone_keys", store=True, index="btree_not_null")
    mobile_e164 = fields.Char(string="Mobile (E.164)", compute="_compute_phone_keys", store=True,
                              index="btree_not_null")
    phone_extension = fields.Char(string="Extension", compute="_compute_phone_keys", store=True)
    phone_key_invalid = fields.Boolean(
        string="Phone Not Recognised", compute="_compute_phone_keys", store=True,
        help="The phone or mobile could not be read as a complete number (missing area code, too short...).")
    email_keys = fields.Char(string="Normalised Emails", compute="_compute_email_keys", store=True)
    company_name_core = fields.Char(string="Canonical Name", compute="_compute_name_keys", store=True,
                                    index="btree_not_null")
    company_legal_form = fields.Char(string="Legal Form", compute="_compute_name_keys", store=True)
    company_name_region = fields.Char(string="Name Region", compute="_compute_name_keys", store=True)
    company_name_pinyin = fields.Char(string="Canonical Name (Pinyin)", compute="_compute_name_keys", store=True,
                                      index="trigram")
    person_surname = fields.Char(string="Surname", compute="_compute_name_keys", store=True)
    person_title = fields.Char(string="Salutation", compute="_compute_name_keys", store=True,
                               help="Salutation written in the name, e.g. 总 in 张总.")
    name_pinyin = fields.Char(string="Pinyin", compute="_compute_name_keys", store=True, index="trigram")
    name_initials = fields.Char(string="Initials", compute="_compute_name_keys", store=True, index="trigram")
    duplicate_partner_ids = fields.Many2many("res.partner", string="Likely Duplicates",
                                             compute="_compute_duplicate_partner_ids")
    duplicate_summary = fields.Text(string="Duplicate Reasons", compute="_compute_duplicate_partner_ids")
    merged_into_id = fields.Many2one("res.partner", string="Merged Into", readonly=True, copy=False,
                                     index="btree_not_null", ondelete="set null")
    identity_locked = fields.Boolean(
        compute="_compute_identity_locked",
        help="This company has confirmed orders or posted invoices: only a data steward changes its identity "
             "fields; others propose a change.")
    change_request_count = fields.Integer(compute="_compute_change_request_count")

    # ------------------------------------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------------------------------------

    @api.depends("user_id")
    def _compute_team_id(self):
        # computed for a whole batch at once (no recursion through parents: the team of a customer is its
        # commercial entity's, which reports and scopes read through commercial_partner_id)
        for partner in self:
            if partner.user_id and (not partner.team_id or partner.user_id not in partner.team_id.member_ids):
                partner.team_id = partner.user_id.sale_team_id
            else:
                partner.team_id = partner.team_id

    @api.depends("uscc")
    def _compute_uscc_info(self):
        for partner in self:
            info = uscc.describe_uscc(partner.uscc) if partner.uscc else {}
            partner.uscc_authority = info.get("authority") or False
            partner.uscc_entity_type = info.get("entity_type") or False
            region = " ".join(filter(None, [info.get("province"), info.get("division_code")]))
            partner.uscc_region = region or False

    def _phone_regions(self):
        """Regions tried for numbers without a country code: the partner's country, its company's, CN."""
        self.ensure_one()
        return phone.reading_regions(self.country_id.code, (self.company_id or self.env.company).country_id.code)

    @api.model
    def _crm_plus_normalize_phone(self, raw, regions):
        """The first valid reading of ``raw`` in ``regions`` (a PhoneKey), else None."""
        if not raw:
            return None
        for region in regions:
            key = phone.normalize_phone(raw, region)
            if key and key.valid:
                return key
        return None

    @api.depends("phone", "mobile", "country_id", "company_id")
    def _compute_phone_keys(self):
        for partner in self:
            regions = partner._phone_regions()
            phone_key = self._crm_plus_normalize_phone(partner.phone, regions)
            mobile_key = self._crm_plus_normalize_phone(partner.mobile, regions)
            partner.phone_e164 = phone_key.e164 if phone_key else False
            partner.mobile_e164 = mobile_key.e164 if mobile_key else False
            partner.phone_extension = (phone_key and phone_key.extension) or (mobile_key and mobile_key.extension)
            partner.phone_key_invalid = bool(
                (partner.phone and not partner.phone_e164) or (partner.mobile and not partner.mobile_e164))

    @api.depends("email")
    def _compute_email_keys(self):
        for partner in self:
            partner.email_keys = ",".join(emails.normalize_emails(partner.email)) if partner.email else False

    @api.depends("name", "is_company")
    def _compute_name_keys(self):
        for partner in self:
            name = partner.name or ""
            if partner.is_company or (name and company_name.is_probably_company(name)):
                canon = company_name.canonical_company_name(name)
                partner.company_name_core = canon.core or False
                partner.company_legal_form = canon.legal_form or False
                partner.company_name_region = canon.region or False
                partner.company_name_pinyin = pinyin.pinyin_keys(canon.core)[0] if canon.core else False
                partner.person_surname = partner.person_title = False
                full, initials = pinyin.pinyin_keys(name)
            else:
                person = person_name.split_salutation(name)
                partner.company_name_core = partner.company_legal_form = False
                partner.company_name_region = partner.company_name_pinyin = False
                partner.person_surname = person.surname or False
                partner.person_title = person.title or False
                full, initials = pinyin.pinyin_keys(name, person=True)
            partner.name_pinyin = full or False
            partner.name_initials = initials or False

    @api.depends("phone_e164", "mobile_e164", "email_keys", "uscc", "vat", "company_name_core", "city", "parent_id")
    def _compute_duplicate_partner_ids(self):
        for partner in self:
            matches = partner._crm_plus_find_duplicates()
            readable = self.browse([m[0].id for m in matches])._filtered_access("read")
            partner.duplicate_partner_ids = [Command.set(readable.ids)]
            partner.duplicate_summary = "\n".join(
                "%s (%s): %s" % (other.display_name, self._crm_plus_owner_label(other),
                                 ", ".join(self._crm_plus_reason_label(r) for r in reasons))
                for other, _score, reasons in matches
            ) or False

    @api.depends_context("uid")
    def _compute_identity_locked(self):
        locked = self._crm_plus_locked_partners() if not self._crm_plus_may_edit_identity() else self.browse()
        for partner in self:
            partner.identity_locked = partner in locked

    def _compute_change_request_count(self):
        counts = dict(self.env["crm_plus.partner.change.request"]._read_group(
            [("partner_id", "in", self.ids), ("state", "=", "pending")], ["partner_id"], ["__count"]))
        for partner in self:
            partner.change_request_count = counts.get(partner._origin, 0)

    # ------------------------------------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------------------------------------

    def init(self):
        res = super().init()
        # one active USCC per company (archived or merged partners keep theirs)
        self.env.cr.execute(SQL(
            """CREATE UNIQUE INDEX IF NOT EXISTS res_partner_crm_plus_uscc_uniq
                   ON res_partner (uscc, COALESCE(company_id, 0)) WHERE active AND uscc IS NOT NULL"""
        ))
        return res

    @api.constrains("uscc", "company_id", "active")
    def _check_uscc(self):
        for partner in self.filtered("uscc"):
            ok, _cleaned, error = uscc.check_uscc(partner.uscc)
            if not ok:
                raise ValidationError(partner._crm_plus_uscc_error(error))
        active = self.filtered(lambda p: p.uscc and p.active)
        self._crm_plus_check_uscc_free([(p.uscc, p.company_id.id) for p in active], exclude=active.ids)

    @api.model
    def _crm_plus_check_uscc_free(self, codes, exclude=()):
        """Refuse, with a clear message, a USCC that an active partner of the same company already has.

        The partial unique index guarantees it under concurrency; this check gives the readable error.
        """
        if not codes:
            return
        seen = set()
        for code, company in codes:
            if (code, company) in seen:
                raise ValidationError(_("The USCC %(code)s appears twice in what you save.", code=code))
            seen.add((code, company))
        # uniqueness is global to the company: look at partners the user may not see, names only
        others = self.sudo().with_context(active_test=True).search(
            [("uscc", "in", [c for c, _company in codes]), ("id", "not in", list(exclude))])
        for code, company in codes:
            other = others.filtered(lambda o, c=code, k=company: o.uscc == c and o.company_id.id == k)[:1]
            if other:
                raise ValidationError(_("The USCC %(code)s is already used by %(partner)s.",
                                        code=code, partner=other.display_name))

    def _crm_plus_uscc_error(self, error):
        messages = {
            "length": _("The USCC %(code)s of %(partner)s must have 18 characters."),
            "format": _("The USCC %(code)s of %(partner)s contains characters a USCC cannot have."),
            "checksum": _("The USCC %(code)s of %(partner)s is not valid: its check character does not match."),
        }
        template = messages.get(error) or _("The USCC %(code)s of %(partner)s is not valid.")
        return template % {"code": self.uscc, "partner": self.display_name}

    # ------------------------------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("uscc"):
                vals["uscc"] = uscc.clean_uscc(vals["uscc"]) or False
        self._crm_plus_check_uscc_free([
            (v["uscc"], v.get("company_id") or False) for v in vals_list if v.get("uscc") and v.get("active", True)])
        partners = super().create(vals_list)
        partners._crm_plus_sync_keys()
        partners._crm_plus_enforce_duplicates()
        return partners

    def write(self, vals):
        if vals.get("uscc"):
            vals["uscc"] = uscc.clean_uscc(vals["uscc"]) or False
            if len(self) > 1:
                raise ValidationError(_("A USCC identifies one customer: set it on one customer at a time."))
            self._crm_plus_check_uscc_free([(vals["uscc"], vals.get("company_id", self.company_id.id))],
                                           exclude=self.ids)
        if not self._crm_plus_may_edit_identity():
            self._crm_plus_check_identity_write(vals)
        self._crm_plus_check_pool_write(vals)
        res = super().write(vals)
        if KEY_SOURCE_FIELDS.intersection(vals):
            self._crm_plus_sync_keys()
            if vals.get("active", True):
                self._crm_plus_enforce_duplicates()
        return res

    # ------------------------------------------------------------------------------------------------
    # controlled editing of identity fields
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_may_edit_identity(self):
        return self.env.su or self.env.user.has_group("crm_plus.group_crm_plus_data_steward")

    def _crm_plus_locked_partners(self):
        """Company customers with a confirmed sale order or a posted customer invoice (grouped queries)."""
        companies = self.filtered(lambda p: p.is_company and p.id)
        if not companies:
            return self.browse()
        ids = set()
        # the lock depends on documents the user may not see: count them as the system
        orders = self.env["sale.order"].sudo()._read_group(
            [("partner_id", "in", companies.ids), ("state", "=", "sale")], ["partner_id"])
        ids.update(partner.id for (partner,) in orders)
        invoices = self.env["account.move"].sudo()._read_group(
            [("commercial_partner_id", "in", companies.ids), ("state", "=", "posted"),
             ("move_type", "in", ("out_invoice", "out_refund"))], ["commercial_partner_id"])
        ids.update(partner.id for (partner,) in invoices)
        return companies.filtered(lambda p: p.id in ids)

    def _crm_plus_check_identity_write(self, vals):
        changed = [f for f in IDENTITY_FIELDS if f in vals]
        if not changed:
            return
        for partner in self._crm_plus_locked_partners():
            really = [f for f in changed if partner._crm_plus_differs(f, vals[f])]
            if really:
                labels = ", ".join(self._fields[f].get_description(self.env)["string"] for f in really)
                raise UserError(_(
                    "%(partner)s has confirmed orders or invoices: only a data steward can change %(fields)s. "
                    "Use \"Propose a Change\" on the customer instead.",
                    partner=partner.display_name, fields=labels))

    def _crm_plus_differs(self, fname, value):
        current = self[fname]
        if isinstance(current, models.BaseModel):
            return current.id != (value or False)
        return (current or False) != (value or False)

    def action_crm_plus_propose_change(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Propose a Change"),
            "res_model": "crm_plus.partner.change.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id},
        }

    def action_crm_plus_open_change_requests(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Requests"),
            "res_model": "crm_plus.partner.change.request",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
        }

    # ------------------------------------------------------------------------------------------------
    # identity keys and duplicate detection
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_keys(self):
        """The (kind, value) identity keys of this partner, from the values in cache (new records too)."""
        self.ensure_one()
        keys = []
        for number in (self.phone_e164, self.mobile_e164):
            if number:
                keys.append(("phone", number))
        keys += [("email", e) for e in (self.email_keys or "").split(",") if e]
        if self.uscc:
            keys.append(("uscc", self.uscc))
        if self.vat:
            keys.append(("vat", self.vat.replace(" ", "").upper()))
        if self.company_name_core:
            keys.append(("name", self.company_name_core))
        return list(dict.fromkeys(keys))

    def _crm_plus_sync_keys(self):
        """Rewrite the key rows of these partners from their stored key fields, in two statements."""
        ids = [pid for pid in self.ids if pid]
        if not ids:
            return
        self.flush_recordset(["phone_e164", "mobile_e164", "email_keys", "uscc", "vat", "company_name_core",
                              "active"])
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM crm_plus_partner_key WHERE partner_id = ANY(%s)", ids))
        cr.execute(SQL(
            """INSERT INTO crm_plus_partner_key (partner_id, kind, value)
               SELECT DISTINCT id, kind, value FROM (
                   SELECT id, 'phone' AS kind, phone_e164 AS value FROM res_partner WHERE id = ANY(%(ids)s)
                   UNION ALL SELECT id, 'phone', mobile_e164 FROM res_partner WHERE id = ANY(%(ids)s)
                   UNION ALL SELECT id, 'email', unnest(string_to_array(email_keys, ','))
                               FROM res_partner WHERE id = ANY(%(ids)s)
                   UNION ALL SELECT id, 'uscc', uscc FROM res_partner WHERE id = ANY(%(ids)s)
                   UNION ALL SELECT id, 'vat', upper(replace(vat, ' ', '')) FROM res_partner WHERE id = ANY(%(ids)s)
                   UNION ALL SELECT id, 'name', company_name_core FROM res_partner WHERE id = ANY(%(ids)s)
               ) keys
               JOIN res_partner p USING (id)
              WHERE p.active AND keys.value IS NOT NULL AND keys.value <> ''""",
            ids=ids,
        ))
        self.env["crm_plus.partner.key"].invalidate_model()

    def _crm_plus_find_duplicates(self, min_score=DUPLICATE_MIN_SCORE):
        """Likely duplicates of this partner: [(partner, score, [reasons])], best first.

        One indexed lookup on the key table, then a score per candidate. Members of the same
        commercial entity (a company and its contacts) are never duplicates of each other.
        """
        self.ensure_one()
        keys = self._crm_plus_keys()
        if not keys:
            return []
        own = self._origin.id if self._origin else self.id
        found = self.env["crm_plus.partner.key"]._lookup(keys, exclude_partner_ids=[own] if own else [])
        candidate_ids = {pid for ids in found.values() for pid in ids}
        if not candidate_ids:
            return []
        # another salesperson's customer is still a duplicate: score every candidate as the system;
        # callers expose only names and reasons (and the records the user may read)
        candidates = self.sudo().browse(candidate_ids)  # key rows go with their partner (cascade)
        commercial = self.parent_id.commercial_partner_id if self.parent_id else self._origin
        mine = self._crm_plus_match_vals()
        results = []
        for other in candidates:
            if commercial and other.commercial_partner_id == commercial.commercial_partner_id:
                continue
            score, reasons = match.score_pair(mine, other._crm_plus_match_vals())
            if score >= min_score:
                results.append((other, score, reasons))
        results.sort(key=lambda r: (-r[1], r[0].id))
        return results

    def _crm_plus_match_vals(self):
        self.ensure_one()
        phones = {n for n in (self.phone_e164, self.mobile_e164) if n}
        return {
            "phone_keys": phones,
            "email_keys": set(filter(None, (self.email_keys or "").split(","))),
            "uscc": self.uscc or None,
            "vat": (self.vat or "").replace(" ", "").upper() or None,
            "company_core": self.company_name_core or None,
            "person_key": person_name.person_key(self.name) if self.name and not self.is_company else None,
            "city": (self.city or "").strip() or None,
            "is_company": self.is_company,
        }

    def _crm_plus_enforce_duplicates(self):
        """Block the save when a configured key is shared with another partner (setting per key)."""
        # the skip is honoured for those who own identity data only (stewards, the system)
        if self.env.context.get("crm_plus_skip_duplicate_check") and self._crm_plus_may_edit_identity():
            return
        modes = self.env["res.config.settings"]._crm_plus_duplicate_modes()
        blocking = {reason for reason, mode in modes.items() if mode == "block"}
        if not blocking:
            return
        for partner in self.filtered("active"):
            for other, _score, reasons in partner._crm_plus_find_duplicates():
                hit = blocking.intersection(reasons)
                if hit:
                    raise ValidationError(_(
                        "%(partner)s looks like a duplicate of %(other)s (%(reasons)s). "
                        "Open the existing customer instead, or ask a data steward.",
                        partner=partner.display_name, other=other.display_name,
                        reasons=", ".join(sorted(self._crm_plus_reason_label(r) for r in hit)),
                    ))

    @api.model
    def _crm_plus_reason_label(self, reason):
        return {
            "uscc": _("same USCC"),
            "vat": _("same tax ID"),
            "phone": _("same phone"),
            "email": _("same email"),
            "name_city": _("same name in the same city"),
            "name": _("same name"),
            "similar_name": _("similar name in the same city"),
            "person": _("same person name"),
            "uscc_conflict": _("different USCC"),
            "type_mismatch": _("a company and a person"),
        }.get(reason, reason)

    @api.model
    def _crm_plus_owner_label(self, other):
        """Who owns ``other`` (a match found as the system), said without its contact details."""
        commercial = other.commercial_partner_id
        if commercial.pool_id:
            return _("customer pool %(pool)s", pool=commercial.pool_id.name)
        owner = other.user_id or commercial.user_id
        if owner:
            return _("salesperson %(user)s", user=owner.name)
        return _("no salesperson")

    # ------------------------------------------------------------------------------------------------
    # data scopes (crm_plus.scope.mixin) and contact masking (crm_plus.contact.mask.mixin)
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_scope_always(self):
        # the partners of internal users (colleagues, the company) are everyone's; res.users reads
        # apply the partner rules too, through _inherits
        return [*super()._crm_plus_scope_always(), ("partner_share", "=", False)]

    def _crm_plus_matches_scope(self, scope):
        return super()._crm_plus_matches_scope(scope) or not self.partner_share

    # display names with the e-mail (context show_email: mail composer, followers) hide a masked e-mail too
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if "display_name" in fnames and self.env.context.get("show_email"):
            labels = self._crm_plus_mask_display_names([(vals["id"], vals.get("display_name")) for vals in result])
            for vals, (_id, label) in zip(result, labels, strict=True):
                if "display_name" in vals:
                    vals["display_name"] = label
        return result

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        result = super().name_search(name=name, args=args, operator=operator, limit=limit)
        if self.env.context.get("show_email"):
            result = self._crm_plus_mask_display_names(result)
        return result

    @api.model
    def _crm_plus_mask_display_names(self, pairs):
        """[(id, display name)] with the e-mail in the names of masked partners masked."""
        masked = self.browse(pid for pid, _label in pairs if isinstance(pid, int))._crm_plus_masked_ids()
        if not masked:
            return pairs
        emails_by_id = {p.id: p.email for p in self.browse(masked).sudo()}  # the real address, to find it
        return [(pid, label.replace(emails_by_id[pid], mask_value("email", emails_by_id[pid]))
                 if pid in masked and label and emails_by_id.get(pid) else label) for pid, label in pairs]

    def _crm_plus_outside_contact_scope(self, scope):
        """Customers owned (or pooled) outside ``scope``; a contact belongs to its company's owner too."""
        outside = set()
        # the owner of a contact's company decides, and the user may read a contact but not its company:
        # owners, teams and pools are read as the system, for the ids of self only
        for partner in self.sudo():
            if not partner.partner_share:
                continue
            owners = partner | partner.commercial_partner_id
            if any(p.user_id.id in scope.user_ids or p.team_id.id in scope.team_ids for p in owners):
                continue
            if owners.pool_id or owners.user_id:
                outside.add(partner.id)
        return outside

    # ------------------------------------------------------------------------------------------------
    # crons
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _cron_refresh_keys(self, batch_size=2000):
        """Recompute the identity keys of every partner, in batches, after a normalisation change.

        Resumable and idempotent: the last partner id done is kept in a system parameter and
        committed with each batch; once every partner is done the stored version matches
        ``KEYS_VERSION`` and further runs do nothing.
        """
        params = self.env["ir.config_parameter"].sudo()
        if int(params.get_param("crm_plus.keys_version", 0)) >= KEYS_VERSION:
            return 0
        last_id = int(params.get_param("crm_plus.keys_refresh_last_id", 0))

        def refresh(batch):
            for fname in KEY_FIELDS:
                self.env.add_to_compute(self._fields[fname], batch)
            batch._recompute_recordset(KEY_FIELDS)
            batch._crm_plus_sync_keys()
            params.set_param("crm_plus.keys_refresh_last_id", batch[-1].id)
            return len(batch)

        partners = self.with_context(active_test=False).search([("id", ">", last_id)], order="id")
        done = self.env["ir.cron"]._crm_plus_run_batches("identity key refresh", partners, refresh, batch_size)
        params.set_param("crm_plus.keys_version", KEYS_VERSION)
        params.set_param("crm_plus.keys_refresh_last_id", 0)
        return done

    # --- contracts and finance view (crm_plus.contract) ---------------------------------------------
    contract_ids = fields.One2many("crm_plus.contract", "partner_id", string="Contracts",
                                   groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_finance")
    contract_count = fields.Integer(compute="_compute_crm_plus_contracts",
                                    groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_finance")
    contract_value = fields.Monetary(compute="_compute_crm_plus_contracts", currency_field="crm_plus_currency_id",
                                     groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_finance",
                                     help="Total amount of the running and expiring contracts.")
    next_renewal_date = fields.Date(compute="_compute_crm_plus_contracts", search="_search_next_renewal_date",
                                    groups="crm_plus.group_crm_plus_user,crm_plus.group_crm_plus_finance",
                                    help="The nearest end date of a running or expiring contract.")
    crm_plus_currency_id = fields.Many2one("res.currency", compute="_compute_crm_plus_currency_id")
    invoiced_total = fields.Monetary(compute="_compute_crm_plus_finance", currency_field="crm_plus_currency_id",
                                     groups=FINANCE_GROUPS)
    paid_total = fields.Monetary(compute="_compute_crm_plus_finance", currency_field="crm_plus_currency_id",
                                 groups=FINANCE_GROUPS)
    open_receivable = fields.Monetary(compute="_compute_crm_plus_finance", currency_field="crm_plus_currency_id",
                                      groups=FINANCE_GROUPS)
    overdue_amount = fields.Monetary(compute="_compute_crm_plus_finance", currency_field="crm_plus_currency_id",
                                     search="_search_overdue_amount", groups=FINANCE_GROUPS)
    oldest_overdue_days = fields.Integer(compute="_compute_crm_plus_finance", groups=FINANCE_GROUPS)
    last_payment_date = fields.Date(compute="_compute_crm_plus_finance", groups=FINANCE_GROUPS)

    def _compute_crm_plus_currency_id(self):
        for partner in self:
            partner.crm_plus_currency_id = (partner.company_id or self.env.company).currency_id

    @api.depends("contract_ids.state", "contract_ids.amount", "contract_ids.date_end")
    def _compute_crm_plus_contracts(self):
        """Two grouped queries for every partner in self (contracts count for their commercial partner)."""
        commercial = {p.id: p.commercial_partner_id.id for p in self}
        keys = list(set(commercial.values()))
        Contract = self.env["crm_plus.contract"]
        counts = {p.id: c for p, c in Contract._read_group([("partner_id", "in", keys)], ["partner_id"], ["__count"])}
        active = {
            p.id: (amount, date_end) for p, amount, date_end in Contract._read_group(
                [("partner_id", "in", keys), ("state", "in", ("running", "expiring"))],
                ["partner_id"], ["amount:sum", "date_end:min"])
        }
        for partner in self:
            key = commercial[partner.id]
            partner.contract_count = counts.get(key, 0)
            partner.contract_value, partner.next_renewal_date = active.get(key, (0.0, False))

    def _compute_crm_plus_finance(self):
        """Money of the customers, in company currency, from three grouped queries for all of self."""
        today = fields.Date.context_today(self)
        commercial = {p.id: p.commercial_partner_id.id for p in self}
        keys = list(set(commercial.values()))
        Move = self.env["account.move"]
        base = [("commercial_partner_id", "in", keys), ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted")]
        totals = {
            p.id: (total, residual) for p, total, residual in Move._read_group(
                base, ["commercial_partner_id"], ["amount_total_signed:sum", "amount_residual_signed:sum"])
        }
        overdue = {
            p.id: (residual, oldest) for p, residual, oldest in Move._read_group(
                [("commercial_partner_id", "in", keys), *self._crm_plus_overdue_domain(today)],
                ["commercial_partner_id"], ["amount_residual_signed:sum", "invoice_date_due:min"])
        }
        payments = {
            p.id: last for p, last in self.env["account.move.line"]._read_group(
                [("partner_id", "in", keys), ("parent_state", "=", "posted"),
                 ("account_type", "=", "asset_receivable"), ("credit", ">", 0),
                 ("move_id.move_type", "=", "entry")],
                ["partner_id"], ["date:max"])
        }
        for partner in self:
            key = commercial[partner.id]
            total, residual = totals.get(key, (0.0, 0.0))
            late, oldest = overdue.get(key, (0.0, False))
            partner.invoiced_total = total
            partner.open_receivable = residual
            partner.paid_total = total - residual
            partner.overdue_amount = late
            partner.oldest_overdue_days = (today - oldest).days if oldest else 0
            partner.last_payment_date = payments.get(key, False)

    @api.model
    def _crm_plus_overdue_domain(self, today):
        """Posted customer invoices past their due date and not fully paid."""
        return [("move_type", "=", "out_invoice"), ("state", "=", "posted"), ("invoice_date_due", "<", today),
                ("payment_state", "in", ("not_paid", "partial"))]

    @api.model
    def _crm_plus_search_aggregate(self, model, domain, groupby, aggregate, operator, value):
        """Domain on partners whose commercial partner's ``aggregate`` of ``model`` (grouped by ``groupby``)
        compares to ``value``; partners without any such record never match."""
        if operator not in (">", ">=", "<", "<=", "=", "!="):
            raise UserError(_("Unsupported search operator %(op)s.", op=operator))
        groups = self.env[model]._read_group(domain, [groupby], having=[(aggregate, operator, value)])
        return [("commercial_partner_id", "in", [partner.id for partner, in groups])]

    def _search_overdue_amount(self, operator, value):
        return self._crm_plus_search_aggregate(
            "account.move", self._crm_plus_overdue_domain(fields.Date.context_today(self)),
            "commercial_partner_id", "amount_residual_signed:sum", operator, value)

    def _search_next_renewal_date(self, operator, value):
        return self._crm_plus_search_aggregate(
            "crm_plus.contract", [("state", "in", ("running", "expiring")), ("date_end", "!=", False)],
            "partner_id", "date_end:min", operator, fields.Date.to_date(value))

    def action_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus.action_crm_plus_contract")
        action.update({"domain": [("partner_id", "=", self.commercial_partner_id.id)],
                       "context": {"default_partner_id": self.commercial_partner_id.id}})
        return action

    # ------------------------------------------------------------------------------------------------
    # customer pool (公海)
    # ------------------------------------------------------------------------------------------------

    pool_id = fields.Many2one("crm_plus.pool", string="Customer Pool", index="btree_not_null", copy=False,
                              readonly=True,
                              help="Nobody follows this customer up: any member of the pool may claim it.")
    pool_date = fields.Datetime(string="In Pool Since", copy=False, readonly=True)
    crm_plus_locked = fields.Boolean(
        string="Locked", copy=False, readonly=True, index=True,
        help="A locked customer never returns to the customer pool (公海); each salesperson may lock a limited "
             "number of customers (see the settings).")
    pool_move_ids = fields.One2many("crm_plus.pool.move", "partner_id", string="Pool History",
                                    groups="crm_plus.group_crm_plus_user")

    def action_crm_plus_release(self):
        """The owner (or their leader, a manager) gives the selected customers back to their pool."""
        partners = self.filtered(lambda p: p.user_id and not p.pool_id)
        if not partners:
            raise UserError(_("Only customers with a salesperson and not in a pool can be released."))
        partners._crm_plus_check_manage(self.env.user)
        released = partners._crm_plus_release(self.env.user)
        return self._crm_plus_notify(_("%(count)s customers went back to the customer pool: %(names)s.",
                                       count=len(released), names=", ".join(released.mapped("display_name"))))

    def action_crm_plus_lock(self):
        """Exempt the selected customers from the pool, within their salesperson's lock cap."""
        partners = self.filtered(lambda p: not p.crm_plus_locked)
        partners._crm_plus_check_manage(self.env.user)
        partners._crm_plus_set_locked(True)
        return self._crm_plus_notify(_("Locked: these customers will not return to the customer pool."))

    def action_crm_plus_unlock(self):
        partners = self.filtered("crm_plus_locked")
        partners._crm_plus_check_manage(self.env.user)
        partners._crm_plus_set_locked(False)
        return self._crm_plus_notify(_("Unlocked: these customers return to the pool again without follow-up."))

    def action_crm_plus_assign(self):
        """Open the wizard where a sales manager or pool administrator gives pool customers to a salesperson."""
        partners = self.filtered("pool_id")
        if not partners:
            raise UserError(_("Select customers in a customer pool to assign them."))
        return {
            "type": "ir.actions.act_window",
            "name": _("Assign Pool Customers"),
            "res_model": "crm_plus.pool.assign.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": partners.ids},
        }

    @api.model
    def _crm_plus_notify(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "success", "message": message, "next": {"type": "ir.actions.act_window_close"}},
        }

    def _crm_plus_check_manage(self, user):
        """Raise unless ``user`` owns each customer of ``self``, leads its team, or is a sales manager."""
        if not user.has_group("crm_plus.group_crm_plus_user"):
            raise AccessError(_("Only salespeople can release or lock customers."))
        self.check_access("read")
        if user.has_group("crm_plus.group_crm_plus_manager"):
            return
        for partner in self:
            if partner.user_id != user and partner.team_id.user_id != user:
                raise AccessError(_("%(partner)s belongs to %(user)s: only they, their team leader or a sales "
                                    "manager may do this.", partner=partner.display_name,
                                    user=partner.user_id.name or _("nobody")))

    def _crm_plus_check_owned_cap(self, user, adding):
        """Raise if ``user`` would own more customers than the settings allow after ``adding`` more."""
        cap = self.env["res.config.settings"]._crm_plus_param("max_owned_customers")
        if cap <= 0 or not adding:
            return
        # the cap counts every customer of the salesperson, including those the current user cannot see
        owned = self.sudo().search_count([("user_id", "=", user.id), ("parent_id", "=", False)])
        if owned + adding > cap:
            raise UserError(_(
                "%(user)s may own at most %(cap)s customers: they own %(owned)s, %(adding)s more would exceed it.",
                user=user.name, cap=cap, owned=owned, adding=adding))

    def _crm_plus_lockouts(self, user):
        """{partner: end of lock-out} for the customers of ``self`` that ``user`` lost to their pool (or
        released) less than the pool's lock-out days ago."""
        now = fields.Datetime.now()
        # the moves of other people's customers are read as the system: only dates come out
        losses = self.env["crm_plus.pool.move"].sudo()._read_group(
            [("partner_id", "in", self.ids), ("user_id", "=", user.id), ("kind", "in", LOSS_KINDS)],
            ["partner_id"], ["date:max"])
        ends = {}
        for partner, date in losses:
            pool = self.browse(partner.id).pool_id.sudo()
            end = date + timedelta(days=pool.lockout_days)
            if pool.lockout_days and end > now:
                ends[self.browse(partner.id)] = end
        return ends

    def _crm_plus_find_pool(self, pools=None):
        """The first pool (by sequence) whose company and teams cover this customer, among ``pools``
        (default: the active pools; pass them when looking up many customers)."""
        self.ensure_one()
        if pools is None:
            pools = self._crm_plus_active_pools()
        return next((pool for pool in pools if pool._matches(self)), self.env["crm_plus.pool"])

    def _crm_plus_active_pools(self):
        # pools are configuration everybody may read; searched as the system for users of other companies
        return self.env["crm_plus.pool"].sudo().search([("active", "=", True)])

    def _crm_plus_release(self, user):
        """Put the customers of ``self`` back in their pool (after ``_crm_plus_check_manage``); returns them."""
        now = fields.Datetime.now()
        # the salesperson may not write a customer once it is nobody's: the move is done as the system
        partners = self.sudo()
        active_pools = self._crm_plus_active_pools()
        pools = {partner.id: partner._crm_plus_find_pool(active_pools) for partner in partners}
        missing = partners.filtered(lambda p: not pools[p.id])
        if missing:
            raise UserError(_("No customer pool covers %(names)s: ask a sales manager to set one up.",
                              names=", ".join(missing.mapped("display_name"))))
        for pool in set(pools.values()):
            batch = partners.filtered(lambda p, pool=pool: pools[p.id] == pool)
            body = Markup("<p>%s</p>") % _(
                "Released to the customer pool %(pool)s by %(user)s.", pool=pool.name, user=user.name)
            batch._crm_plus_to_pool(pool, "release", dict.fromkeys(batch.ids, body), now, _(
                "Its customer was released to the customer pool %(pool)s.", pool=pool.name))
        return self.browse(partners.ids)

    def _crm_plus_to_pool(self, pool, kind, bodies, now, lead_reason):
        """The customers of ``self`` (as the system, checks done) go to ``pool``, nobody's and unlocked: a
        move of ``kind`` naming their former salesperson and a note (``bodies``) each; their open leads and
        contacts that salesperson held lose it too (``lead_reason`` logged on the leads). The counterpart
        of ``_crm_plus_hand_over``."""
        owners = {partner.id: partner.user_id for partner in self}
        self.write({"user_id": False, "pool_id": pool.id, "pool_date": now, "crm_plus_locked": False})
        self.env["crm_plus.pool.move"].sudo().create([{
            "partner_id": partner.id, "pool_id": pool.id, "user_id": owners[partner.id].id, "kind": kind,
            "date": now,
        } for partner in self])
        self._message_log_batch(bodies=bodies)
        self._crm_plus_release_leads(owners, lead_reason)
        self._crm_plus_move_contacts(False, owners)

    def _crm_plus_set_locked(self, locked):
        """Lock or unlock the customers of ``self`` (after ``_crm_plus_check_manage``), logging each move."""
        if not self:
            return
        if locked:
            cap = self.env["res.config.settings"]._crm_plus_param("max_locked_customers")
            if cap > 0:
                counts = dict(self.sudo()._read_group(
                    [("user_id", "in", self.user_id.ids), ("crm_plus_locked", "=", True)], ["user_id"], ["__count"]))
                for user in self.user_id:
                    adding = len(self.filtered(lambda p, u=user: p.user_id == u))
                    if counts.get(user, 0) + adding > cap:
                        raise UserError(_(
                            "%(user)s may lock at most %(cap)s customers: %(count)s are locked already.",
                            user=user.name, cap=cap, count=counts.get(user, 0)))
            if self.filtered("pool_id"):
                raise UserError(_("Claim a pool customer before locking it."))
        # a salesperson may not write crm_plus_locked (read-only field, guarded here): written as the system
        partners = self.sudo()
        partners.write({"crm_plus_locked": locked})
        kind = "lock" if locked else "unlock"
        active_pools = self._crm_plus_active_pools()
        self.env["crm_plus.pool.move"].sudo().create([{
            "partner_id": p.id, "pool_id": p._crm_plus_find_pool(active_pools).id or False, "user_id": p.user_id.id,
            "kind": kind, "date": fields.Datetime.now(),
        } for p in partners])
        message = _("Locked by %(user)s: exempt from the customer pool.", user=self.env.user.name) if locked else \
            _("Unlocked by %(user)s.", user=self.env.user.name)
        partners._message_log_batch(bodies={p.id: Markup("<p>%s</p>") % message for p in partners})

    def _crm_plus_release_leads(self, owners, reason):
        """Open leads of ``self`` owned by their former salesperson (``owners``: {partner id: user}) lose it."""
        leads = self.env["crm.lead"].sudo().search([
            ("partner_id", "in", self.ids), ("user_id", "!=", False), ("stage_id.is_won", "=", False)])
        leads = leads.filtered(lambda lead: lead.user_id == owners.get(lead.partner_id.id))
        if not leads:
            return
        leads.write({"user_id": False})
        leads._message_log_batch(bodies={lead.id: Markup("<p>%s</p>") % reason for lead in leads})

    def _crm_plus_check_pool_write(self, vals):
        """Pool customers change hands through Claim, Assign and Release only, which check the daily limit,
        the lock-out and the caps; locking goes through Lock / Unlock (the lock cap). Sales managers and the
        system may write the fields directly."""
        if self.env.su or self.env.user.has_group("crm_plus.group_crm_plus_manager"):
            return
        if {"pool_id", "pool_date", "crm_plus_locked"} & set(vals) or ("user_id" in vals and self.filtered("pool_id")):
            raise AccessError(_("Customers enter and leave a customer pool (公海) through Claim, Release to Pool "
                                "and Assign, and are locked through Lock and Unlock; ask a sales manager to "
                                "change these fields directly."))

    def _crm_plus_move_contacts(self, user, owners=None):
        """The contacts (people) of the companies of ``self`` follow their company to ``user`` (False: nobody).

        With ``owners`` ({company id: former user}) only the contacts that former owner held, or nobody
        held, move: a contact another salesperson works keeps them. Called as the system by the pool moves.
        """
        contacts = self.env["res.partner"].sudo().search([("parent_id", "in", self.ids), ("is_company", "=", False)])
        if owners is not None:
            contacts = contacts.filtered(lambda c: not c.user_id or c.user_id == owners.get(c.parent_id.id))
        contacts = contacts.filtered(lambda c: c.user_id.id != (user.id if user else False))
        if contacts:
            contacts.write({"user_id": user.id if user else False})

    def _crm_plus_take_leads(self, user):
        """Open leads of ``self`` nobody owns go to ``user``, the new owner of the customer."""
        leads = self.env["crm.lead"].sudo().search([
            ("partner_id", "in", self.ids), ("user_id", "=", False), ("stage_id.is_won", "=", False)])
        if leads:
            leads.write({"user_id": user.id})

    def _crm_plus_assign(self, user):
        """Give the pool customers of ``self`` to ``user`` (the current user manages their pools); returns them."""
        author = self.env.user
        for pool in self.pool_id:
            if not pool._is_admin(author):
                raise AccessError(_("Only a sales manager or an administrator of %(pool)s may assign its customers.",
                                    pool=pool.name))
        if not user.has_group("crm_plus.group_crm_plus_user"):
            raise UserError(_("%(user)s is not a salesperson.", user=user.name))
        self._crm_plus_check_owned_cap(user, len(self))
        # the pool customer is nobody's: the pool administrator writes it as the system after the checks above
        partners = self.sudo()
        bodies = {p.id: Markup("<p>%s</p>") % self.env._(
            "Assigned from the customer pool %(pool)s to %(user)s by %(author)s.",
            pool=p.pool_id.name, user=user.name, author=author.name) for p in partners}
        partners._crm_plus_hand_over(user, "assign", bodies)
        return self.browse(partners.ids)

    def _crm_plus_hand_over(self, user, kind, bodies):
        """The pool customers of ``self`` (as the system, checks done) go to ``user``: a move of ``kind``
        and a note (``bodies``) each; their unowned open leads and their contacts follow."""
        now = fields.Datetime.now()
        moves = [{"partner_id": p.id, "pool_id": p.pool_id.id, "user_id": user.id, "kind": kind, "date": now}
                 for p in self]
        self.write({"user_id": user.id, "pool_id": False, "pool_date": False})
        self.env["crm_plus.pool.move"].sudo().create(moves)
        self._message_log_batch(bodies=bodies)
        self._crm_plus_take_leads(user)
        self._crm_plus_move_contacts(user)

    def action_crm_plus_claim(self):
        """The current salesperson takes the selected pool customers, within the pool's daily limit."""
        partners = self.filtered("pool_id")
        partners._crm_plus_check_claim(self.env.user)
        claimed = partners._crm_plus_claim(self.env.user)
        return self._crm_plus_notify(_("You now follow %(count)s customers up: %(names)s.",
                                       count=len(claimed), names=", ".join(claimed.mapped("display_name"))))

    def _crm_plus_check_claim(self, user):
        """Raise unless ``user`` may claim the customers of ``self`` (all in a pool, member of it)."""
        if not self:
            raise UserError(_("These customers are not in a customer pool any more."))
        if not user.has_group("crm_plus.group_crm_plus_user"):
            raise AccessError(_("Only salespeople can claim customers from a pool."))
        self.check_access("read")
        for partner, end in self._crm_plus_lockouts(user).items():
            raise UserError(_(
                "%(partner)s went back to the customer pool from you: you may claim it again from %(date)s.",
                partner=partner.display_name, date=fields.Datetime.to_string(end)))
        if user.has_group("crm_plus.group_crm_plus_manager"):
            return
        for pool in self.pool_id:
            if pool.member_ids and user not in pool.member_ids:
                raise AccessError(_("You are not a member of the customer pool %(pool)s.", pool=pool.name))

    def _crm_plus_claim(self, user):
        """Give the pool customers of ``self`` to ``user``; returns those claimed.

        Runs after ``_crm_plus_check_claim``: a salesperson may not write customers nobody owns, and
        reads the pool moves of everyone to count the daily limit.
        """
        partners = self.sudo()
        pools = partners.pool_id
        # claims of a pool are serialised: the daily limit holds under concurrent clicks
        self.env.cr.execute(SQL("SELECT id FROM crm_plus_pool WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                                list(pools.ids)))
        self.flush_recordset(["pool_id", "user_id"])
        self.env.cr.execute(SQL(
            "SELECT id FROM res_partner WHERE id = ANY(%s) AND pool_id IS NOT NULL ORDER BY id FOR UPDATE",
            list(partners.ids)))
        partners = partners.browse(row[0] for row in self.env.cr.fetchall())
        partners.invalidate_recordset(["pool_id", "user_id"])
        if not partners:
            raise UserError(_("Someone else claimed these customers first."))
        now = fields.Datetime.now()
        claimed_today = dict(self.env["crm_plus.pool.move"].sudo()._read_group([
            ("user_id", "=", user.id), ("kind", "=", "claim"), ("pool_id", "in", pools.ids),
            ("date", ">=", day_start_utc(now, user.tz)),
        ], ["pool_id"], ["__count"]))
        for pool in partners.pool_id:
            wanted = len(partners.filtered(lambda p, pool=pool: p.pool_id == pool))
            left = max(pool.claim_limit - claimed_today.get(pool, 0), 0)
            if wanted > left:
                raise UserError(_(
                    "You may claim %(limit)s customers a day from %(pool)s: %(left)s left today, %(wanted)s selected.",
                    limit=pool.claim_limit, pool=pool.name, left=left, wanted=wanted))
        self._crm_plus_check_owned_cap(user, len(partners))
        bodies = {partner.id: Markup("<p>%s</p>") % self.env._(
            "Claimed from the customer pool %(pool)s by %(user)s.", pool=partner.pool_id.name, user=user.name)
            for partner in partners}
        partners._crm_plus_hand_over(user, "claim", bodies)
        return self.browse(partners.ids)

    # --- invoice title card (开票信息) of the customer, read by its invoices -------------------------------
    invoice_title = fields.Char(tracking=True,
                                help="Legal name printed on the customer's invoices (发票抬头).")
    invoice_bank_name = fields.Char(string="Invoice Bank", help="Bank and branch printed on the invoices (开户行).")
    invoice_bank_account = fields.Char(help="Bank account number printed on the invoices (账号).")
    invoice_address_phone = fields.Char(string="Invoice Address and Phone",
                                        help="Registered address and phone printed on the invoices (地址、电话).")

    # ------------------------------------------------------------------------------------------------
    # customer lifecycle (written by _cron_compute_lifecycle on commercial partners)
    # ------------------------------------------------------------------------------------------------

    last_interaction_date = fields.Datetime(
        string="Last Interaction", readonly=True, copy=False, index="btree_not_null",
        help="Latest note, e-mail or activity on the customer, its leads and orders; meeting, order or invoice. "
             "Updated daily.")
    lifecycle_state = fields.Selection(
        LIFECYCLE_STATES, string="Lifecycle", readonly=True, copy=False, index=True,
        help="Churn Risk and Dormant: no interaction (or since creation) for the number of days set in "
             "the settings. Updated daily.")
    is_high_value = fields.Boolean(
        string="High Value", readonly=True, copy=False,
        help="Posted customer invoices less refunds of the last 365 days, in company currency, reach the "
             "high value threshold of the settings. Updated daily.")

    def _crm_plus_last_interaction(self):
        """{commercial partner id: last interaction} for the commercial partners of ``self``.

        One grouped query per source for all of ``self``: notes, e-mails and done activities on the
        customer, its contacts, leads and orders; open activities there (their creation); meetings
        already started; lead stage changes (and creation); quotations and orders; posted invoices; claims
        and assignments from the customer pool. This is the one "last follow-up" of CRM Plus: the
        lifecycle flags and the customer pool both read it.
        """
        last = {}

        def bump(partner_id, date):
            if partner_id and date:
                last[partner_id] = latest(last.get(partner_id), fields.Datetime.to_datetime(date))

        now = fields.Datetime.now()
        contacts = self.with_context(active_test=False).search_fetch(
            [("commercial_partner_id", "in", self.ids)], ["commercial_partner_id"])
        commercial = {p.id: p.commercial_partner_id.id for p in contacts}
        leads = self.env["crm.lead"].sudo().with_context(active_test=False).search_fetch(
            [("partner_id", "in", contacts.ids)], ["partner_id", "date_last_stage_update"])
        orders = self.env["sale.order"].sudo().search_fetch(
            [("partner_id", "in", contacts.ids), ("state", "!=", "cancel")], ["partner_id", "date_order"])
        owner = {("res.partner", pid): cid for pid, cid in commercial.items()}
        owner.update({("crm.lead", lead.id): commercial.get(lead.partner_id.id) for lead in leads})
        owner.update({("sale.order", order.id): commercial.get(order.partner_id.id) for order in orders})
        documents = ["|", "|",
                     "&", ("model", "=", "res.partner"), ("res_id", "in", contacts.ids),
                     "&", ("model", "=", "crm.lead"), ("res_id", "in", leads.ids),
                     "&", ("model", "=", "sale.order"), ("res_id", "in", orders.ids)]
        worked = ["|", ("message_type", "in", ("comment", "email")), ("mail_activity_type_id", "!=", False)]
        for model, res_id, date in self.env["mail.message"].sudo()._read_group(
                [*documents, *worked, ("date", "<=", now)], ["model", "res_id"], ["date:max"]):
            bump(owner.get((model, res_id)), date)
        # automated activities (such as the churn-risk to-do below) are no interaction with the customer
        activities = [d if d[0] != "model" else ("res_model", *d[1:]) for d in documents]
        for model, res_id, date in self.env["mail.activity"].sudo()._read_group(
                [*activities, ("automated", "=", False)], ["res_model", "res_id"], ["create_date:max"]):
            bump(owner.get((model, res_id)), date)
        if "calendar.event" in self.env:
            for attendee, date in self.env["calendar.event"].sudo()._read_group(
                    [("partner_ids", "in", contacts.ids), ("start", "<=", now)], ["partner_ids"], ["start:max"]):
                bump(commercial.get(attendee.id), date)
        for order in orders:
            if order.date_order <= now:
                bump(commercial.get(order.partner_id.id), order.date_order)
        for partner, date in self.env["account.move"].sudo()._read_group(
                [("commercial_partner_id", "in", self.ids), ("state", "=", "posted"),
                 ("move_type", "in", ("out_invoice", "out_refund"))],
                ["commercial_partner_id"], ["invoice_date:max"]):
            bump(partner.id, date)
        for lead in leads:
            if lead.date_last_stage_update and lead.date_last_stage_update <= now:
                bump(commercial.get(lead.partner_id.id), lead.date_last_stage_update)
        # a new owner (claim from the pool, assignment) starts a fresh follow-up period
        for partner, date in self.env["crm_plus.pool.move"].sudo()._read_group(
                [("partner_id", "in", self.ids), ("kind", "in", START_KINDS)], ["partner_id"], ["date:max"]):
            bump(partner.id, date)
        return last

    def _crm_plus_high_value(self, threshold, today):
        """Ids of the commercial partners of ``self`` worth at least ``threshold`` (simplified RFM).

        Recency and frequency: only posted customer invoices and refunds dated in the last 365 days count;
        monetary: their signed total in company currency (refunds subtract) reaches ``threshold``.
        """
        if threshold <= 0:
            return set()
        groups = self.env["account.move"].sudo()._read_group(
            [("commercial_partner_id", "in", self.ids), ("state", "=", "posted"),
             ("move_type", "in", ("out_invoice", "out_refund")),
             ("invoice_date", ">", fields.Date.subtract(today, days=365))],
            ["commercial_partner_id"], ["amount_total_signed:sum"])
        return {partner.id for partner, total in groups if total >= threshold}

    def _crm_plus_churn_activities(self, days):
        """One to-do for the team leader (or else the salesperson) of each customer entering churn risk."""
        reminders = []
        for partner in self:
            user = partner.team_id.user_id or partner.user_id
            if not user:
                continue
            summary = partner.with_context(lang=user.lang or self.env.lang).env._(
                "Churn risk: no interaction for %(days)s days", days=days)
            reminders.append((partner, user, summary, fields.Date.context_today(user)))
        # the activities copy the customer's name (res_name) one by one: compute the names in one go
        self.mapped("display_name")
        # an automated to-do in the assignee's list, without one notification e-mail each: a churn scan may
        # flag thousands of customers in one night
        return self.env["mail.activity"]._crm_plus_create_todos(reminders)

    def _crm_plus_store_lifecycle(self, changes):
        """Store ``changes`` ({partner id: lifecycle values}) in one UPDATE per batch of the daily scan.

        The three fields are readonly, untracked, written by this scan only and not synced to contacts:
        the ORM's partner write (tracking, commercial field sync: milliseconds a partner, hours over a
        large base) is skipped; caches and dependent fields are handled as a write would.
        """
        if not changes:
            return
        fnames = ["last_interaction_date", "lifecycle_state", "is_high_value"]
        partners = self.browse(changes)
        partners.flush_recordset(fnames)
        rows = SQL(", ").join(
            SQL("(%s, %s::timestamp, %s::varchar, %s::boolean)", pid, vals["last_interaction_date"] or None,
                vals["lifecycle_state"], vals["is_high_value"])
            for pid, vals in changes.items())
        self.env.cr.execute(SQL(
            """UPDATE res_partner p
                  SET last_interaction_date = v.last_date, lifecycle_state = v.state, is_high_value = v.high,
                      write_date = %(now)s, write_uid = %(uid)s
                 FROM (VALUES %(rows)s) AS v(id, last_date, state, high)
                WHERE p.id = v.id""",
            now=fields.Datetime.now(), uid=self.env.uid, rows=rows))
        partners.invalidate_recordset([*fnames, "write_date", "write_uid"])
        partners.modified(fnames)

    @api.model
    def _cron_compute_lifecycle(self, batch_size=2000):
        """Update the last interaction, lifecycle state and high value flag of every commercial partner.

        Batches ordered by id, committed one by one; idempotent: only changed partners are written and a
        churn-risk to-do is created only when a partner enters that state, so a rerun (or a resumed run
        after a crash) changes nothing. Returns the number of partners written.
        """
        settings = self.env["res.config.settings"]
        churn_days = settings._crm_plus_param("churn_days")
        dormant_days = settings._crm_plus_param("dormant_days")
        threshold = settings._crm_plus_param("high_value_threshold")
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        Partner = self.sudo()
        domain = ["|", ("is_company", "=", True), ("parent_id", "=", False)]
        fnames = ["last_interaction_date", "lifecycle_state", "is_high_value", "create_date", "team_id", "user_id"]

        def scan(batch):
            batch.fetch(fnames)
            last = batch._crm_plus_last_interaction()
            high = batch._crm_plus_high_value(threshold, today)
            changes, churning = {}, []
            for partner in batch:
                date = last.get(partner.id)
                state = lifecycle_state(date or partner.create_date, now, churn_days, dormant_days)
                vals = {"last_interaction_date": date or False, "lifecycle_state": state,
                        "is_high_value": partner.id in high}
                if any(partner[fname] != value for fname, value in vals.items()):
                    changes[partner.id] = vals
                if state == "churn_risk" and partner.lifecycle_state != "churn_risk":
                    churning.append(partner.id)
            Partner._crm_plus_store_lifecycle(changes)
            Partner.browse(churning)._crm_plus_churn_activities(churn_days)
            return len(changes)

        return self.env["ir.cron"]._crm_plus_run_batches(
            "lifecycle", Partner.search(domain, order="id"), scan, batch_size)

    # --- reminders: next follow-up, birthdays; return visits (回访) ----------------------------------
    next_followup_date = fields.Date(
        string="Next Follow-up", copy=False, index="btree_not_null",
        help="The salesperson gets a to-do on this date (once per date set).")
    next_followup_note = fields.Char(string="Follow-up Note", copy=False)
    next_followup_todo = fields.Boolean(
        compute="_compute_next_followup_todo", store=True, readonly=False, copy=False,
        help="Technical: the to-do of the next follow-up date is still to be created.")
    birthday = fields.Date(copy=False, help="The salesperson gets a to-do some days before (see the settings).")
    birthday_reminded_year = fields.Integer(copy=False, readonly=True,
                                            help="Technical: the year of the last birthday reminded.")
    return_visit_ids = fields.One2many("crm_plus.return.visit", "partner_id", string="Return Visits",
                                       groups="crm_plus.group_crm_plus_user")
    return_visit_count = fields.Integer(compute="_compute_return_visit_stats", groups="crm_plus.group_crm_plus_user")
    return_visit_satisfaction = fields.Float(
        string="Average Satisfaction", compute="_compute_return_visit_stats", digits=(3, 1),
        groups="crm_plus.group_crm_plus_user", help="Average stars (1-5) of the done return visits (回访).")

    @api.depends("next_followup_date")
    def _compute_next_followup_todo(self):
        for partner in self:
            partner.next_followup_todo = bool(partner.next_followup_date)

    def _compute_return_visit_stats(self):
        """Two grouped queries for all of ``self`` (visits count for the commercial partner)."""
        keys = list(set(self.commercial_partner_id.ids))
        Visit = self.env["crm_plus.return.visit"]
        counts = dict(Visit._read_group([("partner_id", "in", keys)], ["partner_id"], ["__count"]))
        scores = dict(Visit._read_group(
            [("partner_id", "in", keys), ("state", "=", "done"), ("satisfaction_score", ">", 0)],
            ["partner_id"], ["satisfaction_score:avg"]))
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.return_visit_count = counts.get(commercial, 0)
            partner.return_visit_satisfaction = scores.get(commercial, 0.0)

    def action_crm_plus_return_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_plus.action_crm_plus_return_visit")
        action.update({"domain": [("partner_id", "=", self.commercial_partner_id.id)],
                       "context": {"default_partner_id": self.commercial_partner_id.id}})
        return action

    def _crm_plus_reminder_owner(self):
        """Who is reminded about this partner: its salesperson, else its company's."""
        self.ensure_one()
        return self.user_id or self.commercial_partner_id.user_id

    @api.model
    def _cron_crm_plus_reminders(self, batch_size=500):
        """Create the to-dos of next follow-ups (on their date) and birthdays (some days before).

        Idempotent: a follow-up date is reminded once (``next_followup_todo`` goes down; setting a new
        date raises it again), a birthday once a year (``birthday_reminded_year``); batches committed one
        by one. Returns the number of to-dos created.
        """
        today = fields.Date.context_today(self)
        Partner = self.sudo().with_context(active_test=True)

        def remind(batch):
            reminders = []
            for partner in batch:
                user = partner._crm_plus_reminder_owner()
                if user:
                    summary = partner.with_context(lang=user.lang or self.env.lang).env._(
                        "Follow up: %(note)s", note=partner.next_followup_note or partner.display_name)
                    reminders.append((partner, user, summary, partner.next_followup_date))
            batch.write({"next_followup_todo": False})
            return len(self.env["mail.activity"]._crm_plus_create_todos(reminders))

        due = Partner.search([("next_followup_todo", "=", True), ("next_followup_date", "<=", today)], order="id")
        created = self.env["ir.cron"]._crm_plus_run_batches("follow-up reminders", due, remind, batch_size)
        return created + self._crm_plus_birthday_reminders(today, batch_size)

    @api.model
    def _crm_plus_birthday_reminders(self, today, batch_size):
        days = self.env["res.config.settings"]._crm_plus_param("birthday_reminder_days")
        if days < 0:
            return 0
        end = fields.Date.add(today, days=days)
        Partner = self.sudo().with_context(active_test=True)
        # one condition per month: the "in" operator is not supported on a date part
        months = [[("birthday.month_number", "=", month)] for month in months_between(today, end)]
        domain = [("birthday", "!=", False), *expression.OR(months)]

        def remind(batch):
            reminders, reminded = [], {}
            for partner in batch:
                day = upcoming_anniversary(partner.birthday, today, days)
                if not day or partner.birthday_reminded_year >= day.year:
                    continue
                reminded.setdefault(day.year, []).append(partner.id)
                user = partner._crm_plus_reminder_owner()
                if user:
                    summary = partner.with_context(lang=user.lang or self.env.lang).env._(
                        "Birthday of %(name)s on %(date)s", name=partner.display_name,
                        date=fields.Date.to_string(day))
                    reminders.append((partner, user, summary, day))
            for year, ids in reminded.items():
                Partner.browse(ids).write({"birthday_reminded_year": year})
            return len(self.env["mail.activity"]._crm_plus_create_todos(reminders))

        return self.env["ir.cron"]._crm_plus_run_batches(
            "birthday reminders", Partner.search(domain, order="id"), remind, batch_size)
