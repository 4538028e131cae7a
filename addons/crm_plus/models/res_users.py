from collections import namedtuple

from odoo import models

# what a user may see of customers, leads and contracts (see crm_plus.scope.mixin):
# kind: "all" | "department" | "team" | "own" | "created"; user_ids: owners in scope (for "created": the
# creators); team_ids: sales teams in scope
Scope = namedtuple("Scope", ["kind", "user_ids", "team_ids"])
SCOPE_ALL = Scope("all", frozenset(), frozenset())
# settings (crm_plus_<name>) saying whether a role sees the phone and e-mail of customers outside its own scope
MASK_SETTINGS = {
    "crm_plus.group_crm_plus_user": "mask_sales_user",
    "crm_plus.group_crm_plus_team_leader": "mask_team_leader",
    "crm_plus.group_crm_plus_finance": "mask_finance",
}


class ResUsers(models.Model):
    _inherit = "res.users"

    def _crm_plus_scope(self, mode="read"):
        """The one place that decides which customers, leads and contracts this user sees.

        ``mode`` is "read" or "write" (write, create and unlink). Order: administrators, data stewards
        and finance (read only) see all; so do users of no CRM Plus sales role (their access is not ours
        to restrict); sales managers their hr department and its sub-departments (all without hr or
        without a department); team leaders the teams they lead; salespeople their own. Owners and
        teams are ids, read as the system: a rule must not depend on what the user may read.
        """
        self.ensure_one()
        if self._crm_plus_sees_all(mode):
            return SCOPE_ALL
        if self._crm_plus_integration_only():
            return Scope("created", frozenset([self.id]), frozenset())
        return self._crm_plus_sales_scope()

    def _crm_plus_sees_all(self, mode):
        """Whether no data scope applies to this user for ``mode``; overridden by crm_plus_service."""
        if self._is_superuser() or self._is_system() or self.has_group("crm_plus.group_crm_plus_data_steward"):
            return True
        if mode == "read" and self.has_group("crm_plus.group_crm_plus_finance"):
            return True
        return not self.has_group("crm_plus.group_crm_plus_user") and not self._crm_plus_integration_only()

    def _crm_plus_integration_only(self):
        """Whether this user is an API client's integration user and nothing more (no sales role): it
        reads only the records it created ("created" scope)."""
        self.ensure_one()
        return (self.has_group("crm_plus.group_crm_plus_integration")
                and not self.has_group("crm_plus.group_crm_plus_user") and not self._is_system())

    def _crm_plus_sales_scope(self):
        """The scope of this user's sales role alone (own for a user without one)."""
        self.ensure_one()
        if self.has_group("crm_plus.group_crm_plus_manager"):
            department_users = self._crm_plus_department_users()
            if department_users is None:
                return SCOPE_ALL
            users = department_users | {self.id}
            return self._crm_plus_team_scope("department", users, self._crm_plus_led_team_ids(users))
        if self.has_group("crm_plus.group_crm_plus_team_leader"):
            return self._crm_plus_team_scope("team", {self.id}, self._crm_plus_led_team_ids({self.id}))
        return Scope("own", frozenset([self.id]), frozenset())

    def _crm_plus_led_team_ids(self, user_ids):
        # the scope is decided whatever the user may read of crm.team: ids only, read as the system
        teams = self.env["crm.team"].sudo().with_context(active_test=False).search([("user_id", "in", list(user_ids))])
        return set(teams.ids)

    def _crm_plus_team_scope(self, kind, user_ids, team_ids):
        """``kind`` scope over ``user_ids``, the teams ``team_ids`` and the members of those teams."""
        if team_ids:
            # members of the led teams are read as the system for the same reason
            members = self.env["crm.team.member"].sudo().search([("crm_team_id", "in", list(team_ids))])
            user_ids = set(user_ids) | set(members.user_id.ids)
        return Scope(kind, frozenset(user_ids), frozenset(team_ids))

    def _crm_plus_department_users(self):
        """Ids of the users working in this user's hr departments and their sub-departments; None when hr
        is not installed or the user has no employee with a department (then the manager sees all)."""
        if "hr.employee" not in self.env:
            return None
        # departments and employees are read as the system: a sales manager needs no hr access
        Employee = self.env["hr.employee"].sudo()
        mine = Employee.search([("user_id", "=", self.id), ("department_id", "!=", False)])
        if not mine:
            return None
        departments = self.env["hr.department"].sudo().search([("id", "child_of", mine.department_id.ids)])
        colleagues = Employee.search([("department_id", "in", departments.ids), ("user_id", "!=", False)])
        return set(colleagues.user_id.ids)

    # ------------------------------------------------------------------------------------------------
    # contact masking
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_contact_scope(self):
        """None when this user sees the phone and e-mail of every customer they can read; else the Scope
        of the customers whose details they see (their own, their teams').

        Managers, administrators and data stewards are never masked; a user with several roles is masked
        only when every one of their roles is set to be masked (settings "Hide contact details").
        """
        self.ensure_one()
        if self._crm_plus_never_masked():
            return None
        settings = self.env["res.config.settings"]
        roles = [xmlid for xmlid in MASK_SETTINGS if self.has_group(xmlid)]
        if "crm_plus.group_crm_plus_team_leader" in roles:
            roles.remove("crm_plus.group_crm_plus_user")
        if not roles or not all(settings._crm_plus_param(MASK_SETTINGS[xmlid]) for xmlid in roles):
            return None
        return self._crm_plus_sales_scope()

    def _crm_plus_never_masked(self):
        """Whether this user always sees contact details; overridden by crm_plus_service."""
        return (self._is_superuser() or self._is_system()
                or self.has_group("crm_plus.group_crm_plus_manager")
                or self.has_group("crm_plus.group_crm_plus_data_steward"))
