from datetime import datetime, time

import pytz

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
        existing.filtered(lambda d: d.source == "library").unlink()
        manual_dates = set(existing.filtered(lambda d: d.source == "manual").mapped("date"))
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


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    crm_plus_china = fields.Boolean(
        string="China Business Calendar",
        help="Statutory holidays become leaves of this calendar, make-up days (调休) dated working days.")
    crm_plus_china_missing = fields.Char(
        string="Years Without China Schedule", compute="_compute_crm_plus_china_missing",
        help="This year or the next has no statutory schedule loaded: deadlines in it ignore holidays.")

    @api.depends("crm_plus_china")
    def _compute_crm_plus_china_missing(self):
        year = fields.Date.context_today(self).year
        missing = self.env["crm_plus.china.day"].sudo()._crm_plus_missing_years([year, year + 1])
        for calendar in self:
            calendar.crm_plus_china_missing = ", ".join(map(str, missing)) if calendar.crm_plus_china else False

    def write(self, vals):
        result = super().write(vals)
        if vals.get("crm_plus_china"):
            self._crm_plus_china_rebuild()
        return result

    def _crm_plus_china_rebuild(self):
        """Write the China schedule into these calendars: holidays as global leaves, make-up days as
        attendances dated to that day with the hours of the calendar's Monday."""
        Leave = self.env["resource.calendar.leaves"]
        Attendance = self.env["resource.calendar.attendance"]
        days = self.env["crm_plus.china.day"].sudo().search([("date", "!=", False)])
        for calendar in self:
            Leave.search([("calendar_id", "=", calendar.id), ("crm_plus_china", "=", True)]).unlink()
            Attendance.search([("calendar_id", "=", calendar.id), ("crm_plus_china", "=", True)]).unlink()
            tz = pytz.timezone(calendar.tz or "Asia/Shanghai")
            monday = calendar.attendance_ids.filtered(
                lambda a: a.dayofweek == "0" and not a.date_from and not a.resource_id)
            leaves, attendances = [], []
            for day in days:
                if day.kind == "holiday":
                    start = tz.localize(datetime.combine(day.date, time.min)).astimezone(pytz.utc)
                    stop = tz.localize(datetime.combine(day.date, time(23, 59, 59))).astimezone(pytz.utc)
                    leaves.append({"name": day.name or self.env._("Statutory holiday"), "calendar_id": calendar.id,
                                   "date_from": start.replace(tzinfo=None), "date_to": stop.replace(tzinfo=None),
                                   "time_type": "leave", "crm_plus_china": True})
                else:
                    attendances += [{
                        "name": self.env._("Make-up working day %(date)s", date=day.date), "calendar_id": calendar.id,
                        "dayofweek": str(day.date.weekday()), "date_from": day.date, "date_to": day.date,
                        "hour_from": line.hour_from, "hour_to": line.hour_to, "day_period": line.day_period,
                        "crm_plus_china": True,
                    } for line in monday]
            Leave.create(leaves)
            Attendance.create(attendances)
        self._crm_plus_sla_calendar_changed()


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    crm_plus_china = fields.Boolean(readonly=True, help="Written from China's statutory schedule.")


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    crm_plus_china = fields.Boolean(readonly=True, help="Written from China's statutory schedule.")
