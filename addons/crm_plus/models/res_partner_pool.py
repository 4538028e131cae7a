"""The customer pool (公海) seen from a customer: claim, release, lock, assign, caps, lock-outs; every move logged."""

from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.dates import day_start_utc
from .crm_plus_pool_move import LOSS_KINDS


class ResPartner(models.Model):
    _inherit = "res.partner"

    pool_id = fields.Many2one("crm_plus.pool", string="Customer Pool", index="btree_not_null", copy=False,
                              readonly=True,
                              help="Nobody follows this customer up: any member of the pool may claim it.")
    pool_date = fields.Datetime(string="In Pool Since", copy=False, readonly=True)
    pool_locked = fields.Boolean(
        string="Locked", copy=False, readonly=True, index=True,
        help="A locked customer never returns to the customer pool (公海); each salesperson may lock a limited "
             "number of customers (see the settings).")
    pool_move_ids = fields.One2many("crm_plus.pool.move", "partner_id", string="Pool History",
                                    groups="crm_plus.group_crm_plus_user")

    # ------------------------------------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------------------------------------

    def write(self, vals):
        self._crm_plus_check_pool_write(vals)
        return super().write(vals)

    # ------------------------------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------------------------------

    def action_crm_plus_claim(self):
        """The current salesperson takes the selected pool customers, within the pool's daily limit."""
        partners = self.filtered("pool_id")
        partners._crm_plus_check_claim(self.env.user)
        claimed = partners._crm_plus_claim(self.env.user)
        return self._crm_plus_notify(_("You now follow %(count)s customers up: %(names)s.",
                                       count=len(claimed), names=", ".join(claimed.mapped("display_name"))))

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
        partners = self.filtered(lambda p: not p.pool_locked)
        partners._crm_plus_check_manage(self.env.user)
        partners._crm_plus_set_locked(True)
        return self._crm_plus_notify(_("Locked: these customers will not return to the customer pool."))

    def action_crm_plus_unlock(self):
        partners = self.filtered("pool_locked")
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

    # ------------------------------------------------------------------------------------------------
    # business: checks
    # ------------------------------------------------------------------------------------------------

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

    def _crm_plus_check_pool_write(self, vals):
        """Pool customers change hands through Claim, Assign and Release only, which check the daily limit,
        the lock-out and the caps; locking goes through Lock / Unlock (the lock cap). Sales managers and the
        system may write the fields directly."""
        if self.env.su or self.env.user.has_group("crm_plus.group_crm_plus_manager"):
            return
        if {"pool_id", "pool_date", "pool_locked"} & set(vals) or ("user_id" in vals and self.filtered("pool_id")):
            raise AccessError(_("Customers enter and leave a customer pool (公海) through Claim, Release to Pool "
                                "and Assign, and are locked through Lock and Unlock; ask a sales manager to "
                                "change these fields directly."))

    # ------------------------------------------------------------------------------------------------
    # business: moves (after the checks, as the system)
    # ------------------------------------------------------------------------------------------------

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

    def _crm_plus_pool_assign(self, user):
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
        self.write({"user_id": False, "pool_id": pool.id, "pool_date": now, "pool_locked": False})
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
                    [("user_id", "in", self.user_id.ids), ("pool_locked", "=", True)], ["user_id"], ["__count"]))
                for user in self.user_id:
                    adding = len(self.filtered(lambda p, u=user: p.user_id == u))
                    if counts.get(user, 0) + adding > cap:
                        raise UserError(_(
                            "%(user)s may lock at most %(cap)s customers: %(count)s are locked already.",
                            user=user.name, cap=cap, count=counts.get(user, 0)))
            if self.filtered("pool_id"):
                raise UserError(_("Claim a pool customer before locking it."))
        # a salesperson may not write pool_locked (read-only field, guarded here): written as the system
        partners = self.sudo()
        partners.write({"pool_locked": locked})
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
