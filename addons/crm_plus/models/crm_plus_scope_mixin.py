from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression


class CrmPlusScopeMixin(models.AbstractModel):
    """Data scope of a record owned by a salesperson and a sales team (customers, leads, contracts).

    Global record rules say ``[('crm_plus_in_scope', '=', True)]`` (read) and
    ``[('crm_plus_in_write_scope', '=', True)]`` (write, create, unlink). The domain behind them is built
    at query time from ``res.users._crm_plus_scope()`` of the real user (rules run as the system, with
    ``env.uid`` kept), so a change of team or department applies at once, with no rule cache to clear.
    Being global, these rules narrow what Odoo's group rules (e.g. "All Leads" of sales managers) allow.
    The domain is a few ``IN`` lists on indexed columns of the record itself: no join, no per-row subquery.
    """

    _name = "crm_plus.scope.mixin"
    _description = "CRM Plus Data Scope"
    _inherit = ["crm_plus.partner.link.mixin"]

    # the many2one to res.users owning the record, the many2one to crm.team (or None)
    _crm_plus_owner_field = "user_id"
    _crm_plus_team_field = "team_id"
    # whether records nobody owns are in everyone's scope (the customer pool, unassigned leads)
    _crm_plus_unowned_in_scope = True

    crm_plus_in_scope = fields.Boolean(
        string="In My Scope", compute="_compute_crm_plus_in_scope", search="_search_crm_plus_in_scope",
        help="Whether the record belongs to the customers, leads and contracts you work on: your own, your "
             "teams' or your department's, depending on your role.")
    crm_plus_in_write_scope = fields.Boolean(
        string="In My Write Scope", compute="_compute_crm_plus_in_scope", search="_search_crm_plus_in_write_scope")

    @api.depends_context("uid")
    @api.depends(lambda self: [f for f in (self._crm_plus_owner_field, self._crm_plus_team_field) if f])
    def _compute_crm_plus_in_scope(self):
        user = self.env.user
        scopes = {"read": user._crm_plus_scope("read"), "write": user._crm_plus_scope("write")}
        for record in self:
            record.crm_plus_in_scope = record._crm_plus_matches_scope(scopes["read"])
            record.crm_plus_in_write_scope = record._crm_plus_matches_scope(scopes["write"])

    def _search_crm_plus_in_scope(self, operator, value):
        return self._crm_plus_scope_search("read", operator, value)

    def _search_crm_plus_in_write_scope(self, operator, value):
        return self._crm_plus_scope_search("write", operator, value)

    def _crm_plus_scope_search(self, mode, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("The scope of a record can only be compared with true or false."))
        domain = self._crm_plus_scope_domain(self.env.user._crm_plus_scope(mode))
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    @api.model
    def _crm_plus_scope_domain(self, scope):
        """Domain of the records in ``scope`` (a res.users Scope)."""
        if scope.kind == "all":
            return expression.TRUE_DOMAIN
        if scope.kind == "created":
            # an integration user: the records it created, and those everyone sees (colleagues' partners)
            return expression.OR([[("create_uid", "in", sorted(scope.user_ids))],
                                  *([leaf] for leaf in self._crm_plus_scope_always())])
        owner, team = self._crm_plus_owner_field, self._crm_plus_team_field
        domains = [[(owner, "in", sorted(scope.user_ids))]]
        if self._crm_plus_unowned_in_scope:
            domains.append([(owner, "=", False)])
        if team and scope.team_ids:
            domains.append([(team, "in", sorted(scope.team_ids))])
        domains += [[leaf] for leaf in self._crm_plus_scope_always()]
        return expression.OR(domains)

    @api.model
    def _crm_plus_scope_always(self):
        """Leaves of records in everyone's scope (ORed with the scope domain); a hook for models."""
        return []

    def _crm_plus_matches_scope(self, scope):
        """Whether this record is in ``scope``, from its values (as the search domain would say)."""
        self.ensure_one()
        if scope.kind == "all":
            return True
        if scope.kind == "created":
            return self.create_uid.id in scope.user_ids
        owner = self[self._crm_plus_owner_field]
        team_field = self._crm_plus_team_field
        if owner.id in scope.user_ids or (not owner and self._crm_plus_unowned_in_scope):
            return True
        return bool(team_field and self[team_field].id in scope.team_ids)
