"""Identity of a customer: the USCC, the normalised identity keys, the key table kept in sync, the refresh cron."""

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import company_name, emails, identity, person_name, phone, pinyin, uscc
from .res_partner_import import PHONE_READINGS

# partner fields whose change recomputes the identity keys
KEY_SOURCE_FIELDS = {"name", "phone", "mobile", "email", "uscc", "vat", "is_company", "active", "parent_id",
                     "country_id", "company_id"}
# bump when a normalisation rule changes: the cron then recomputes every partner's keys in batches
# 2: every plausible reading of a phone is a key, unverified ones included (phone_keys)
KEYS_VERSION = 2
KEY_FIELDS = ["phone_e164", "mobile_e164", "phone_extension", "phone_key_invalid", "phone_keys", "phone_unverified",
              "email_keys", "company_name_core",
              "company_legal_form", "company_name_region", "company_name_pinyin", "person_surname", "person_title",
              "name_pinyin", "name_initials"]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # many2one and quick search also find "zhangwei" / "zw" for 张伟, and the USCC
    _rec_names_search = ["complete_name", "email", "ref", "vat", "company_registry", "uscc", "name_pinyin",
                         "name_initials"]

    # the USCC (统一社会信用代码) and what it says
    uscc = fields.Char(
        string="USCC",
        tracking=True,
        copy=False,
        help="Unified Social Credit Code (统一社会信用代码), 18 characters; stored upper-case without spaces.",
    )
    uscc_authority = fields.Char(string="USCC Registration Authority", compute="_compute_uscc_info")
    uscc_entity_type = fields.Char(string="USCC Entity Type", compute="_compute_uscc_info")
    uscc_region = fields.Char(string="USCC Region", compute="_compute_uscc_info")

    # normalised keys (stored; indexed in crm_plus.partner.key)
    phone_e164 = fields.Char(string="Phone (E.164)", compute="_compute_phone_keys", store=True, index="btree_not_null")
    mobile_e164 = fields.Char(string="Mobile (E.164)", compute="_compute_phone_keys", store=True,
                              index="btree_not_null")
    phone_extension = fields.Char(string="Extension", compute="_compute_phone_keys", store=True)
    phone_key_invalid = fields.Boolean(
        string="Phone Not Recognised", compute="_compute_phone_keys", store=True,
        help="The phone or mobile could not be read as a complete number (missing area code, too short...).")
    phone_keys = fields.Char(
        compute="_compute_phone_keys", store=True,
        help="Every plausible reading (E.164) of the phone and mobile: a number written without a country code "
             "is read in each country the evidence allows, so that the same digits always match.")
    phone_unverified = fields.Boolean(
        compute="_compute_phone_keys", store=True,
        help="The phone or mobile is a complete number in a range the numbering plan data does not list (yet): "
             "kept for duplicate matching, worth checking.")
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

    # ------------------------------------------------------------------------------------------------
    # computes and constraints
    # ------------------------------------------------------------------------------------------------

    @api.depends("uscc")
    def _compute_uscc_info(self):
        for partner in self:
            info = uscc.describe_uscc(partner.uscc) if partner.uscc else {}
            partner.uscc_authority = info.get("authority") or False
            partner.uscc_entity_type = info.get("entity_type") or False
            region = " ".join(filter(None, [info.get("province"), info.get("division_code")]))
            partner.uscc_region = region or False

    def _phone_regions(self):
        """Regions in which to read numbers written without a country code, the most plausible first: China
        when the evidence says so (Chinese name, city or street, a Chinese mobile's shape), the partner's
        country, its company's, China."""
        self.ensure_one()
        return phone.reading_order(
            (self.country_id.code, (self.company_id or self.env.company).country_id.code),
            texts=(self.name, self.city, self.street), numbers=(self.phone, self.mobile))

    @api.depends("phone", "mobile", "country_id", "company_id", "name", "city", "street")
    def _compute_phone_keys(self):
        # the readings the import already made of the numbers it writes (E.164 with their country code:
        # read the same in any region), {number: [e164, extension, valid, kind]}; see _create_partners
        known = self.env.context.get(PHONE_READINGS) or {}
        for partner in self:
            regions = None

            def readings(raw, partner=partner):
                nonlocal regions
                if raw in known:
                    return [phone.PhoneKey(*reading) for reading in known[raw]]
                if regions is None:
                    regions = partner._phone_regions()
                return phone.phone_readings(raw, regions)

            phone_readings = readings(partner.phone) if partner.phone else []
            mobile_readings = readings(partner.mobile) if partner.mobile else []
            # the reading shown is the most plausible one; the keys are all of them
            shown_phone, shown_mobile = phone_readings[:1], mobile_readings[:1]
            partner.phone_e164 = shown_phone[0].e164 if shown_phone else False
            partner.mobile_e164 = shown_mobile[0].e164 if shown_mobile else False
            partner.phone_extension = next((key.extension for key in shown_phone + shown_mobile if key.extension),
                                           False)
            partner.phone_keys = ",".join(dict.fromkeys(key.e164 for key in phone_readings + mobile_readings)) or False
            partner.phone_unverified = any(readings and not any(key.valid for key in readings)
                                           for readings in (phone_readings, mobile_readings))
            partner.phone_key_invalid = bool(
                (partner.phone and not phone_readings) or (partner.mobile and not mobile_readings))

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
        self.env["crm_plus.partner.key"]._queue_sync(partners.ids)
        return partners

    def write(self, vals):
        if vals.get("uscc"):
            vals["uscc"] = uscc.clean_uscc(vals["uscc"]) or False
            if len(self) > 1:
                raise ValidationError(_("A USCC identifies one customer: set it on one customer at a time."))
            self._crm_plus_check_uscc_free([(vals["uscc"], vals.get("company_id", self.company_id.id))],
                                           exclude=self.ids)
        res = super().write(vals)
        if KEY_SOURCE_FIELDS.intersection(vals):
            self.env["crm_plus.partner.key"]._queue_sync(self.ids)
        return res

    # ------------------------------------------------------------------------------------------------
    # business: the keys and the key table
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_keys(self):
        """The (kind, value) identity keys of this partner, from the values in cache (new records too)."""
        self.ensure_one()
        return identity.identity_keys(
            phones=(self.phone_keys or "").split(","), emails=(self.email_keys or "").split(","),
            uscc=self.uscc, vat=self.vat, company_core=self.company_name_core)

    def _crm_plus_sync_keys(self):
        """Rewrite the key rows of these partners (active ones only) from their keys, in one statement."""
        partners = self.browse(pid for pid in self.ids if pid)
        if not partners:
            return
        rows = [(partner.id, kind, value)
                for partner in partners.with_context(active_test=False) if partner.active
                for kind, value in partner._crm_plus_keys()]
        # one statement: the old rows out, the new ones in (as three arrays: a parameter per row would
        # cost more to quote than to insert)
        self.env.cr.execute(SQL(
            """WITH gone AS (DELETE FROM crm_plus_partner_key WHERE partner_id = ANY(%(ids)s))
               INSERT INTO crm_plus_partner_key (partner_id, kind, value)
               SELECT * FROM unnest(%(partners)s::int[], %(kinds)s::varchar[], %(values)s::varchar[])""",
            ids=partners.ids, partners=[row[0] for row in rows], kinds=[row[1] for row in rows],
            values=[row[2] for row in rows]))
        self.env["crm_plus.partner.key"].invalidate_model()

    # ------------------------------------------------------------------------------------------------
    # cron
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
            last = batch[-1].id
            batch = self.env["ir.cron"]._crm_plus_claim(batch)
            for fname in KEY_FIELDS:
                self.env.add_to_compute(self._fields[fname], batch)
            batch._recompute_recordset(KEY_FIELDS)
            batch._crm_plus_sync_keys()
            params.set_param("crm_plus.keys_refresh_last_id", last)
            return len(batch)

        partners = self.with_context(active_test=False).search([("id", ">", last_id)], order="id")
        done = self.env["ir.cron"]._crm_plus_run_batches("identity key refresh", partners, refresh, batch_size)
        params.set_param("crm_plus.keys_version", KEYS_VERSION)
        params.set_param("crm_plus.keys_refresh_last_id", 0)
        return done
