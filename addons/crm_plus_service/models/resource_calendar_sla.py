"""Working time of a resource calendar as the SLA clocks read it."""

from datetime import timedelta

import pytz

from odoo import api, models

from ..tools.working_time import Timeline

# how far ahead deadlines are planned; a target left unplanned that far has no deadline
PLANNING_HORIZON = timedelta(days=400)
# most deadlines fall within weeks: planned on this much of the calendar first, on the full horizon if needed
SHORT_HORIZON = timedelta(days=45)


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def _crm_plus_timeline(self, start, end):
        """(Timeline of naive UTC intervals, working local dates) of this calendar between ``start`` and
        ``end`` (naive UTC datetimes), leaves (holidays) cut out, make-up days included."""
        self.ensure_one()
        intervals = self._work_intervals_batch(pytz.utc.localize(start), pytz.utc.localize(end))[False]
        pairs, dates = [], set()
        for interval_start, interval_stop, _meta in intervals:
            dates.add(interval_start.date())  # the calendar's local date
            pairs.append((interval_start.astimezone(pytz.utc).replace(tzinfo=None),
                          interval_stop.astimezone(pytz.utc).replace(tzinfo=None)))
        return Timeline(pairs), dates

    def _crm_plus_tz(self):
        self.ensure_one()
        return pytz.timezone(self.tz or "UTC")

    def write(self, vals):
        result = super().write(vals)
        if {"attendance_ids", "tz", "two_weeks_calendar", "leave_ids"} & set(vals):
            self._crm_plus_sla_calendar_changed()
        return result

    def _crm_plus_sla_calendar_changed(self):
        """Open tickets on these calendars get their SLA deadlines recomputed (in batches, by the cron)."""
        self.env["crm_plus.ticket.clock"]._crm_plus_mark_recompute(
            [("ticket_id.team_id.resource_calendar_id", "in", self.ids)])


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    def _crm_plus_calendars(self):
        """Calendars whose working time these leaves change (a leave without calendar: every calendar)."""
        if any(not leave.calendar_id for leave in self):
            return self.env["resource.calendar"].search([("active", "=", True)])
        return self.calendar_id

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._crm_plus_calendars()._crm_plus_sla_calendar_changed()
        return leaves

    def write(self, vals):
        before = self._crm_plus_calendars()
        result = super().write(vals)
        (before | self._crm_plus_calendars())._crm_plus_sla_calendar_changed()
        return result

    def unlink(self):
        calendars = self._crm_plus_calendars()
        result = super().unlink()
        calendars._crm_plus_sla_calendar_changed()
        return result
