from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.china_calendar import cross_check, known_years, year_schedule


class CrmPlusChinaDay(models.Model):
    """A day of China's statutory schedule: a holiday on a weekday, or a weekend day worked instead (调休).

    Filled from ``chinesecalendar`` for the years it knows; for a later year an administrator imports or
    types the State Council's schedule here. Calendars following China are rebuilt from this table.
    """

    _name = "crm_plus.china.day"
    _description = "China Business Calendar Day"
    _order = "date"

    date = fields.Date(required=True, index=True)
    year = fields.Integer(compute="_compute_year", store=True, index=True)
    kind = fields.Selection([("holiday", "Statutory Holiday"), ("workday", "Make-up Working Day")], required=True)
    name = fields.Char(translate=True)
    source = fields.Selection([("library", "chinesecalendar"), ("manual", "Entered")], default="manual",
                              required=True)

    _sql_constraints = [("date_uniq", "unique(date)", "A day appears once in China's schedule.")]

    @api.depends("date")
    def _compute_year(self):
        for day in self:
            day.year = day.date.year if day.date else 0

    # ------------------------------------------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_load_year(self, year):
        """Load ``year`` from chinesecalendar (replacing its library rows); returns the days where the
        ``holidays`` package disagrees, [(date, ours, theirs)]. Raises when the library does not know it."""
        schedule = year_schedule(year)
        if not schedule:
            raise UserError(_("chinesecalendar has no schedule for %(year)s: enter it by hand or import it.",
                              year=year))
        existing = self.search([("year", "=", year)])
        manual_dates = set(existing.filtered(lambda d: d.source == "manual").mapped("date"))
        existing.filtered(lambda d: d.source == "library").unlink()
        self.create([{"date": day, "kind": kind, "name": name, "source": "library"}
                     for day, kind, name in schedule if day not in manual_dates])
        return cross_check(year, schedule)

    @api.model
    def _crm_plus_missing_years(self, years):
        """The years of ``years`` with no day in the table (never treated as normal years silently)."""
        present = {year for (year,) in self._read_group([("year", "in", list(years))], ["year"])}
        return sorted(set(years) - present)

    @api.model
    def action_load_library(self):
        """Load every year chinesecalendar knows from the current year on, then rebuild the calendars."""
        if not self.env.user.has_group("base.group_system"):
            raise UserError(_("Only administrators load the China business calendar."))
        today = fields.Date.context_today(self)
        mismatches = []
        for year in sorted(y for y in known_years() if y >= today.year - 1):
            mismatches += self.sudo()._crm_plus_load_year(year)
        self.env["resource.calendar"].sudo().search([("crm_plus_china", "=", True)])._crm_plus_china_rebuild()
        if mismatches:
            raise UserError(_("Loaded, but the holidays package disagrees on: %(days)s",
                              days=", ".join(str(d) for d, _o, _t in mismatches[:20])))
        return True
