"""China's statutory schedule written into resource calendars: holidays as leaves, make-up days as dated attendances."""

from datetime import datetime, time

import pytz

from odoo import api, fields, models


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
