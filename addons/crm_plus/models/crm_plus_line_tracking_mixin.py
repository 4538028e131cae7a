"""Changes of a line's tracked fields, posted in the chatter of the record the line belongs to."""

from markupsafe import Markup, escape

from odoo import models
from odoo.tools.misc import format_date, formatLang


class CrmPlusLineTrackingMixin(models.AbstractModel):
    """Mail tracking for lines that have no chatter of their own (contract lines, instalments).

    Odoo tracks the fields of a ``mail.thread`` only. A model inheriting this mixin names its parent
    (``_crm_plus_tracking_parent``, a many2one to a ``mail.thread``) and the fields to audit
    (``_crm_plus_tracked_fields``); every write changing one of them logs one note on each parent concerned:
    which line, which field, old value -> new value. Like Odoo's tracking, ``tracking_disable`` turns it off.
    """

    _name = "crm_plus.line.tracking.mixin"
    _description = "Line Changes Tracked on the Parent"

    _crm_plus_tracking_parent = None
    _crm_plus_tracked_fields = ()

    def write(self, vals):
        tracked = [fname for fname in self._crm_plus_tracked_fields if fname in self._fields]
        if not tracked or not set(vals) & set(self._crm_plus_tracked_fields) \
                or self.env.context.get("tracking_disable"):
            return super().write(vals)
        # what a user changes directly, and what follows from it (an amount from its percentage)
        before = {line.id: {fname: line[fname] for fname in tracked} for line in self}
        res = super().write(vals)
        self._crm_plus_log_line_changes(before, tracked)
        return res

    def _crm_plus_log_line_changes(self, before, tracked):
        """One note per parent listing the changed values of its lines (old -> new)."""
        changes = {}
        for line in self:
            old_values = before.get(line.id)
            if not old_values:
                continue
            items = [(fname, old_values[fname], line[fname]) for fname in tracked
                     if self._crm_plus_tracked_value(line, fname, old_values[fname])
                     != self._crm_plus_tracked_value(line, fname, line[fname])]
            parent = line[self._crm_plus_tracking_parent]
            if items and parent:
                changes.setdefault(parent, []).append((line, items))
        for parent, lines in changes.items():
            rows = Markup("").join(
                Markup("<li>%s: %s</li>") % (line.display_name, Markup(", ").join(
                    Markup("%s: %s \N{RIGHTWARDS ARROW} %s") % (
                        self._fields[fname].get_description(self.env)["string"],
                        self._crm_plus_format_value(line, fname, old),
                        self._crm_plus_format_value(line, fname, new))
                    for fname, old, new in items))
                for line, items in lines)
            title = self.env._("%(what)s changed:", what=self._description)
            parent._message_log(body=Markup("<p>%s</p><ul>%s</ul>") % (title, rows))

    def _crm_plus_tracked_value(self, line, fname, value):
        """A comparable form of ``value``: floats rounded as displayed, records as ids."""
        field = self._fields[fname]
        if field.type in ("float", "monetary"):
            return self._crm_plus_format_value(line, fname, value)
        if field.type == "many2one":
            return value.id
        return value

    def _crm_plus_format_value(self, line, fname, value):
        field = self._fields[fname]
        if value is False or value is None:
            return escape("")
        if field.type == "monetary":
            return escape(formatLang(self.env, value, currency_obj=line[field.get_currency_field(line)]))
        if field.type == "float":
            digits = field.get_digits(self.env)
            return escape(formatLang(self.env, value, digits=digits[1] if digits else 2))
        if field.type == "date":
            return escape(format_date(self.env, value))
        if field.type == "many2one":
            return escape(value.display_name)
        return escape(str(value))
