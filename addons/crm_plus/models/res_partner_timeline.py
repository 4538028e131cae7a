"""One customer timeline: messages, activities, meetings, leads, orders, invoices, payments, contracts and
return visits of the customer and its contacts, newest first, one page in one SQL round."""

from datetime import time

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index

# the most items one page may ask for
MAX_PAGE = 200
# up to this many contacts, a contact-level kind is one query per contact (see _crm_plus_timeline_partner_leaves)
SPLIT_CONTACTS = 10


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------------------------------------

    def init(self):
        res = super().init()
        # after every model's table exists (the providers' models may be created after res.partner)
        self.pool.post_init(self._crm_plus_timeline_indexes)
        return res

    def _crm_plus_timeline_indexes(self):
        """One (partner, date) index per provider: each provider's newest items are an index range."""
        for kind, provider in self._crm_plus_timeline_providers().items():
            index = provider.get("index")
            if not index or provider["model"] not in self.env:
                continue
            create_index(self.env.cr, "crm_plus_timeline_%s_idx" % kind, self.env[provider["model"]]._table, index)

    # ------------------------------------------------------------------------------------------------
    # actions (RPC entry of the timeline widget)
    # ------------------------------------------------------------------------------------------------

    @api.model
    def crm_plus_timeline_kinds(self):
        """The kinds of items the current user may see, in display order: [{kind, label, icon}]."""
        return [
            {"kind": kind, "label": provider["label"], "icon": provider["icon"]}
            for kind, provider in self._crm_plus_timeline_readable_providers().items()
        ]

    def crm_plus_timeline_page(self, kinds=None, before=None, limit=40):
        """One page of the customer's timeline (see ``_crm_plus_timeline``); the customer is read as the user."""
        self.ensure_one()
        self.check_access("read")
        return self._crm_plus_timeline(kinds=kinds, before=before, limit=limit)

    # ------------------------------------------------------------------------------------------------
    # business
    # ------------------------------------------------------------------------------------------------

    @api.model
    def _crm_plus_timeline_providers(self):
        """{kind: provider} of the timeline; a hook other addons extend with ``super()``.

        A provider: ``model``; ``partner_field`` and whether it holds the ``commercial`` entity (else any of
        its contacts); ``date_field`` (a date or datetime); ``domain`` (extra leaves); ``label``; ``icon``
        (Font Awesome); ``title`` and optional ``subtitle`` (fields read for the item, default the display
        name); optional ``link`` (a (model field, id field) pair when the item opens another record, e.g. a
        message its document); ``document_access``: the records' access follows their document (messages,
        activities), which is one of the customer's contacts the user has read; ``index``: the columns of
        its (partner, date) index.
        """
        providers = {
            "message": {
                "model": "mail.message", "partner_field": "res_id", "commercial": False, "date_field": "date",
                "domain": [("model", "=", "res.partner"), ("message_type", "in", ("comment", "email"))],
                "label": _("Messages"), "icon": "fa-comment-o", "title": "author_id", "subtitle": "preview",
                "link": ("model", "res_id"), "document_access": True,
                "index": ["model", "res_id", "date DESC", "id DESC"],
            },
            "activity": {
                "model": "mail.activity", "partner_field": "res_id", "commercial": False,
                "date_field": "date_deadline", "domain": [("res_model", "=", "res.partner")],
                "label": _("Activities"), "icon": "fa-clock-o", "title": "activity_type_id", "subtitle": "summary",
                "link": ("res_model", "res_id"), "document_access": True,
                "index": ["res_model", "res_id", "date_deadline DESC", "id DESC"],
            },
            "meeting": {
                "model": "calendar.event", "partner_field": "partner_ids", "commercial": False,
                "date_field": "start", "label": _("Meetings"), "icon": "fa-calendar",
            },
            "lead": {
                "model": "crm.lead", "partner_field": "partner_id", "commercial": False, "date_field": "create_date",
                "label": _("Leads"), "icon": "fa-star", "subtitle": "stage_id",
                "index": ["partner_id", "create_date DESC", "id DESC"],
            },
            "order": {
                "model": "sale.order", "partner_field": "partner_id", "commercial": False, "date_field": "date_order",
                "domain": [("state", "!=", "cancel")], "label": _("Orders"), "icon": "fa-shopping-cart",
                "subtitle": "state", "index": ["partner_id", "date_order DESC", "id DESC"],
            },
            "invoice": {
                "model": "account.move", "partner_field": "commercial_partner_id", "commercial": True,
                "date_field": "invoice_date",
                "domain": [("move_type", "in", ("out_invoice", "out_refund")), ("state", "=", "posted")],
                "label": _("Invoices"), "icon": "fa-file-text-o", "subtitle": "payment_state",
                "index": ["commercial_partner_id", "invoice_date DESC", "id DESC"],
            },
            "payment": {
                "model": "account.payment", "partner_field": "partner_id", "commercial": False, "date_field": "date",
                "domain": [("state", "!=", "canceled")], "label": _("Payments"), "icon": "fa-money",
                "subtitle": "state", "index": ["partner_id", "date DESC", "id DESC"],
            },
            "contract": {
                "model": "crm_plus.contract", "partner_field": "partner_id", "commercial": True,
                "date_field": "date_start", "label": _("Contracts"), "icon": "fa-file-o", "subtitle": "state",
                "index": ["partner_id", "date_start DESC", "id DESC"],
            },
            "return_visit": {
                "model": "crm_plus.return.visit", "partner_field": "partner_id", "commercial": True,
                "date_field": "date_planned", "label": _("Return Visits"), "icon": "fa-phone", "subtitle": "state",
                "index": ["partner_id", "date_planned DESC", "id DESC"],
            },
        }
        return providers

    @api.model
    def _crm_plus_timeline_readable_providers(self):
        """The providers whose model exists and the user may read (documents' messages and activities
        follow the customer's own access)."""
        return {
            kind: provider for kind, provider in self._crm_plus_timeline_providers().items()
            if provider["model"] in self.env
            and (provider.get("document_access") or self.env[provider["model"]].has_access("read"))
        }

    def _crm_plus_timeline(self, kinds=None, before=None, limit=40):
        """A page of the timeline of this customer (its commercial entity and all its contacts).

        ``kinds``: the kinds to show (all when empty); ``before``: the cursor ``[date, kind, id]`` of the last
        item of the previous page (keyset paging: the page costs the same at any depth); ``limit``: items a
        page. Returns ``{"items": [...], "next": cursor or False}``.

        Each provider's query is built with the ORM's ``_search`` as the user (record rules and data scopes
        apply), limited to its newest ``limit`` items after the cursor; the queries are joined with UNION ALL
        and ordered in one SQL statement; only the page's records are then read through the ORM (masking
        applies), one read per kind on the page.
        """
        self.ensure_one()
        limit = max(1, min(int(limit or 40), MAX_PAGE))
        cursor = self._crm_plus_timeline_cursor(before)
        providers = self._crm_plus_timeline_readable_providers()
        if kinds:
            providers = {kind: provider for kind, provider in providers.items() if kind in kinds}
        commercial = self.commercial_partner_id
        # the contacts as the user: messages and activities are only shown on contacts the user reads
        contact_ids = self.with_context(active_test=False)._search(
            [("commercial_partner_id", "=", commercial.id)]).get_result_ids()
        selects = []
        for kind, provider in sorted(providers.items()):
            for partner_leaf in self._crm_plus_timeline_partner_leaves(provider, commercial, contact_ids):
                # one more than the page: whether older items exist
                query = self._crm_plus_timeline_query(kind, provider, partner_leaf, cursor, limit + 1)
                if query is not None:
                    selects.append(SQL("(%s)", query))
        if not selects:
            return {"items": [], "next": False}
        rows = self.env.execute_query(SQL(
            "SELECT kind, id, date FROM (%s) AS timeline ORDER BY date DESC, kind, id DESC LIMIT %s",
            SQL(" UNION ALL ").join(selects), limit + 1))
        page = rows[:limit]
        items = self._crm_plus_timeline_items(page, providers)
        last = page[-1] if len(rows) > limit else None
        return {
            "items": items,
            "next": [fields.Datetime.to_string(last[2]), last[0], last[1]] if last else False,
        }

    @api.model
    def _crm_plus_timeline_cursor(self, before):
        if not before:
            return None
        try:
            date, kind, record_id = before
            return fields.Datetime.to_datetime(date), str(kind), int(record_id)
        except (TypeError, ValueError) as error:
            raise UserError(_("The timeline cannot continue from %(cursor)s.", cursor=before)) from error

    @api.model
    def _crm_plus_timeline_partner_leaves(self, provider, commercial, contact_ids):
        """The partner leaves of a provider's queries: the commercial entity; else one query per contact
        (each an index range of its (partner, date) index, however long the history) up to SPLIT_CONTACTS
        contacts, one ``in`` beyond, or for a many2many partner field."""
        field = provider["partner_field"]
        if provider["commercial"]:
            return [(field, "=", commercial.id)]
        if not contact_ids:
            return []
        if len(contact_ids) > SPLIT_CONTACTS or self.env[provider["model"]]._fields[field].type == "many2many":
            return [(field, "in", contact_ids)]
        return [(field, "=", contact_id) for contact_id in contact_ids]

    def _crm_plus_timeline_query(self, kind, provider, partner_leaf, cursor, limit):
        """The Query of one provider's newest ``limit`` items after ``cursor``, selecting (kind, id, date)."""
        Model = self.env[provider["model"]]
        if provider.get("document_access"):
            # the access to messages and activities follows their document: the contacts above were
            # searched as the user, so the system only finds the messages of contacts the user reads
            Model = Model.sudo()
        date_field = provider["date_field"]
        query = Model._search(
            [partner_leaf, (date_field, "!=", False), *provider.get("domain", [])],
            order="%s desc, id desc" % date_field, limit=limit)
        if query.is_empty():
            return None
        column = Model._field_to_sql(Model._table, date_field, query)
        id_column = SQL.identifier(Model._table, "id")
        if cursor:
            query.add_where(self._crm_plus_timeline_after(
                kind, Model._fields[date_field].type == "date", column, id_column, cursor))
        return query.select(SQL("%s AS kind", kind), SQL("%s AS id", id_column),
                            SQL("%s::timestamp AS date", column))

    @api.model
    def _crm_plus_timeline_after(self, kind, is_date, column, id_column, cursor):
        """The condition "after the cursor" in the order (date desc, kind, id desc), on the raw column so that
        the (partner, date) index serves it; a date column is compared with the cursor turned into dates."""
        date, cursor_kind, cursor_id = cursor
        if is_date:
            day, midnight = date.date(), date.time() == time.min
            if kind > cursor_kind or not midnight:
                # date at midnight <= cursor, or < a cursor inside that day: the same days
                return SQL("%s <= %s", column, day)
            if kind < cursor_kind:
                return SQL("%s < %s", column, day)
            return SQL("(%s, %s) < (%s, %s)", column, id_column, day, cursor_id)
        if kind > cursor_kind:
            return SQL("%s <= %s", column, date)
        if kind < cursor_kind:
            return SQL("%s < %s", column, date)
        return SQL("(%s, %s) < (%s, %s)", column, id_column, date, cursor_id)

    def _crm_plus_timeline_items(self, rows, providers):
        """The page's items, read through the ORM as the user (masking applies) in one read per kind."""
        by_kind = {}
        for kind, record_id, _date in rows:
            by_kind.setdefault(kind, []).append(record_id)
        values = {}
        for kind, ids in by_kind.items():
            provider = providers[kind]
            Model = self.env[provider["model"]]
            title = provider.get("title", "display_name")
            fnames = [title, *filter(None, [provider.get("subtitle")]), *provider.get("link", ())]
            for vals in Model.browse(ids).read(fnames):
                values[kind, vals["id"]] = {
                    "title": self._crm_plus_timeline_text(Model, title, vals[title]),
                    "subtitle": self._crm_plus_timeline_text(Model, provider.get("subtitle"),
                                                             vals.get(provider.get("subtitle"))),
                    "model": vals[provider["link"][0]] if provider.get("link") else provider["model"],
                    "res_id": vals[provider["link"][1]] if provider.get("link") else vals["id"],
                }
        items = []
        for kind, record_id, date in rows:
            provider = providers[kind]
            item = values.get((kind, record_id))
            if item is None:
                continue
            item.update({
                "kind": kind, "id": record_id, "label": provider["label"], "icon": provider["icon"],
                "date": fields.Datetime.to_string(date),
                "all_day": self.env[provider["model"]]._fields[provider["date_field"]].type == "date",
            })
            items.append(item)
        return items

    @api.model
    def _crm_plus_timeline_text(self, Model, fname, value):
        """A value as read (masked where it must be) shown as text: a selection's label, a record's name."""
        if not fname or value is False or value is None:
            return ""
        field = Model._fields[fname]
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if field.type == "many2one":
            return value[1] if value else ""
        return str(value)
