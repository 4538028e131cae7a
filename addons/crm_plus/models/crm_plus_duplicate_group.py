import logging

import psycopg2.errors

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import match
from ..tools.components import DisjointSet

_logger = logging.getLogger(__name__)

# score given to two companies of the same city whose canonical names are only similar (pg_trgm)
SIMILAR_NAME_SCORE = 0.7
# the scan groups pairs from this score: "same name in another city" (0.6, often a branch) stays a warning
# on the form and never chains two groups together
SCAN_MIN_SCORE = 0.7
# first key of the advisory locks two scanning hosts take on a group signature (the second: its hash)
ADVISORY_LOCK_KEY = 0x43504447


class CrmPlusDuplicateGroup(models.Model):
    """A set of partners that look like the same customer, waiting for a data steward's decision."""

    _name = "crm_plus.duplicate.group"
    _description = "Duplicate Group"
    _inherit = ["mail.thread"]
    _order = "state, score desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_ids = fields.Many2many(
        "res.partner", "crm_plus_duplicate_group_partner_rel", "group_id", "partner_id",
        string="Partners", context={"active_test": False})
    partner_count = fields.Integer(compute="_compute_name", store=True, string="# Partners")
    master_id = fields.Many2one("res.partner", string="Keep", domain="[('id', 'in', partner_ids)]",
                                help="The partner that stays; the others are merged into it.")
    score = fields.Float(digits=(3, 2), help="How sure the scan is that these are one customer (0 to 1).")
    reasons = fields.Char(help="Why the partners were grouped.")
    signature = fields.Char(index=True, readonly=True, copy=False,
                            help="Sorted member ids: the same set is never proposed twice.")
    state = fields.Selection(
        [("open", "To Review"), ("merged", "Merged"), ("dismissed", "Not Duplicates")],
        default="open", required=True, index=True, tracking=True, string="Status")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)

    @api.depends("partner_ids")
    def _compute_name(self):
        for group in self:
            names = group.partner_ids[:3].mapped("display_name")
            group.name = " / ".join(names) + (" ..." if len(group.partner_ids) > 3 else "")
            group.partner_count = len(group.partner_ids)

    @api.model
    def _signature(self, partner_ids):
        return ",".join(str(pid) for pid in sorted(set(partner_ids)))

    def action_dismiss(self):
        """Not duplicates: remember every pair so the scan never proposes them together again."""
        self._check_steward()
        Pair = self.env["crm_plus.duplicate.dismissal"]
        for group in self.filtered(lambda g: g.state == "open"):
            Pair._remember(group.partner_ids.ids)
        self.write({"state": "dismissed"})

    def action_merge(self):
        self._check_steward()
        for group in self:
            if group.state != "open":
                raise UserError(_("Only groups to review can be merged."))
            master = group.master_id or group._default_master()
            sources = group.partner_ids.filtered("active") - master
            if not sources:
                raise UserError(_("Nothing to merge: the group has a single active partner."))
            self.env["crm_plus.partner.merge"]._merge(master, sources, reason=group.reasons)
            group.write({"state": "merged", "master_id": master.id})
        return True

    def action_open_partners(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Partners"),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("id", "in", self.partner_ids.ids)],
            "context": {"active_test": False},
        }

    def _default_master(self):
        """The partner to keep by default: the most used (orders, invoices), then the oldest."""
        self.ensure_one()
        partners = self.partner_ids.filtered("active")
        usage = self.env["crm_plus.partner.merge"]._usage_counts(partners)
        return max(partners, key=lambda p: (usage.get(p.id, 0), -p.id))

    def _check_steward(self):
        if not self.env.user.has_group("crm_plus.group_crm_plus_data_steward"):
            raise UserError(_("Only a data steward can merge or dismiss duplicates."))

    # ------------------------------------------------------------------------------------------------
    # scan
    # ------------------------------------------------------------------------------------------------

    def action_scan_now(self):
        """Run the scan in the background (the cron), so a large base never blocks the screen."""
        self._check_steward()
        self.env.ref("crm_plus.ir_cron_crm_plus_dedup_scan")._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": _("The duplicate scan has started; new groups appear here when it ends."),
                       "type": "info", "sticky": False},
        }

    @api.model
    def _cron_scan(self, batch_size=500):
        """Scheduled action: find duplicate groups over the whole base; safe to rerun at any time."""
        params = self.env["ir.config_parameter"].sudo()
        last_scan = params.get_param("crm_plus.dedup_last_scan") or None
        started = fields.Datetime.now()
        scores = self._scan_pairs(changed_since=last_scan)
        clusters = self._clusters(scores)
        counts = {"created": 0, "updated": 0}

        def upsert(batch):
            created, updated = self._upsert_groups(batch)
            counts["created"] += created
            counts["updated"] += updated
            return created + updated

        # one batch of groups at a time: a crash resumes where it stopped
        self.env["ir.cron"]._crm_plus_run_batches(
            "duplicate scan", sorted(clusters, key=lambda c: min(c[0])), upsert, batch_size)
        try:
            with self.env.cr.savepoint():
                params.set_param("crm_plus.dedup_last_scan", fields.Datetime.to_string(started))
        except psycopg2.errors.UniqueViolation:
            # another host finished a scan at the same moment and wrote the first mark: its mark stands
            # (the groups are upserted under a lock each, so the two scans made nothing twice)
            _logger.info("crm_plus dedup scan: the last-scan mark was written by another host")
        _logger.info("crm_plus dedup scan: %d candidate pairs, %d groups (%d new, %d updated)",
                     len(scores), len(clusters), counts["created"], counts["updated"])
        return counts["created"], counts["updated"]

    @api.model
    def _scan_pairs(self, changed_since=None, min_score=SCAN_MIN_SCORE, max_block=50):
        """{(id_a, id_b): (score, reasons)} for every likely duplicate pair, a < b.

        Exact blocking: every (kind, value) key shared by 2 to ``max_block`` partners (one GROUP BY on
        the key index). Fuzzy: canonical names (in pinyin, so it works whatever the database locale)
        similar by pg_trgm, only for partners created or changed since ``changed_since``.
        """
        self.env["crm_plus.partner.key"]._sync_pending()
        cr = self.env.cr
        self.env.flush_all()
        cr.execute(SQL(
            """SELECT array_agg(partner_id ORDER BY partner_id)
                 FROM crm_plus_partner_key
             GROUP BY kind, value
               HAVING count(*) BETWEEN 2 AND %s""", max_block))
        candidates = set()
        for (ids,) in cr.fetchall():
            candidates.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
        fuzzy = self._fuzzy_pairs(changed_since)
        candidates |= set(fuzzy)
        if not candidates:
            return {}
        candidates -= self.env["crm_plus.duplicate.dismissal"]._dismissed_pairs({x for p in candidates for x in p})
        partners = self.env["res.partner"].browse({x for p in candidates for x in p})
        vals = {p.id: (p._crm_plus_match_vals(), p.commercial_partner_id.id) for p in partners}
        result = {}
        for a, b in candidates:
            (va, ca), (vb, cb) = vals[a], vals[b]
            if ca == cb:
                continue
            score, reasons = match.score_pair(va, vb)
            if (a, b) in fuzzy and score < SIMILAR_NAME_SCORE and va["city"] and va["city"] == vb["city"]:
                score, reasons = SIMILAR_NAME_SCORE, [*reasons, "similar_name"]
            if score >= min_score:
                result[(a, b)] = (score, reasons)
        return result

    @api.model
    def _fuzzy_pairs(self, changed_since, threshold=0.8):
        """{(id_a, id_b): similarity} of partners changed since ``changed_since`` whose canonical names
        are close to another's (pg_trgm on the pinyin). The first scan (no ``changed_since``) sets the
        baseline with exact keys only; each later scan compares only what changed since the previous."""
        if not changed_since or not self.env.registry.has_trigram:
            return {}
        cr = self.env.cr
        cr.execute(SQL("SET LOCAL pg_trgm.similarity_threshold = %s", threshold))
        cr.execute(SQL(
            """SELECT LEAST(a.id, b.id), GREATEST(a.id, b.id),
                      similarity(a.company_name_pinyin, b.company_name_pinyin)
                 FROM res_partner a
                 JOIN res_partner b ON b.company_name_pinyin %s a.company_name_pinyin
                                   AND b.id <> a.id AND b.active
                WHERE a.active AND a.company_name_pinyin IS NOT NULL
                  AND length(a.company_name_pinyin) >= 6
                  AND a.write_date >= %s::timestamp""",
            SQL("%%"),  # pg_trgm's similarity operator, nested so that it reaches psycopg2 escaped
            changed_since))
        return {(a, b): sim for a, b, sim in cr.fetchall()}

    @staticmethod
    def _clusters(scores):
        """Connected components of the scored pairs: [(member ids, score, reasons)]."""
        sets = DisjointSet()
        for a, b in scores:
            sets.union(a, b)
        members, best, reasons = {}, {}, {}
        for (a, b), (score, why) in scores.items():
            root = sets.find(a)
            members.setdefault(root, set()).update((a, b))
            best[root] = max(best.get(root, 0.0), score)
            reasons.setdefault(root, set()).update(why)
        return [(sorted(m), best[r], sorted(reasons[r])) for r, m in members.items()]

    @api.model
    def _upsert_groups(self, clusters):
        """Create the clusters not yet proposed; refresh open groups with the same members."""
        signatures = {self._signature(m): (m, score, why) for m, score, why in clusters}
        # another host scanning at once: each group is proposed by the host that holds its signature's lock
        self.env.cr.execute(SQL(
            "SELECT sig FROM unnest(%s::varchar[]) AS sig WHERE pg_try_advisory_xact_lock(%s, hashtext(sig))",
            list(signatures), ADVISORY_LOCK_KEY))
        mine = {row[0] for row in self.env.cr.fetchall()}
        signatures = {sig: value for sig, value in signatures.items() if sig in mine}
        existing = {g.signature: g for g in self.search([("signature", "in", list(signatures))])}
        Partner = self.env["res.partner"]
        to_create, updated = [], 0
        for sig, (members, score, why) in signatures.items():
            label = ", ".join(Partner._crm_plus_reason_label(r) for r in why)
            group = existing.get(sig)
            if group:
                if group.state == "open" and (group.score != score or group.reasons != label):
                    group.write({"score": score, "reasons": label})
                    updated += 1
                continue
            to_create.append({"partner_ids": [Command.set(members)], "score": score, "reasons": label,
                              "signature": sig})
        if to_create:
            self.create(to_create)
        return len(to_create), updated
