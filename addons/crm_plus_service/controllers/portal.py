"""The customer portal of tickets (/my/tickets): thin routes over the ticket's portal methods.

Every ticket is loaded as the visitor: through the record rules (a portal user's own tickets, their company's
when allowed) or with its access token (``_document_check_access``). A state change is a POST (CSRF)."""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

TICKET = "crm_plus.ticket"


class CrmPlusServicePortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "crm_plus_ticket_count" in counters:
            Ticket = request.env[TICKET]
            values["crm_plus_ticket_count"] = Ticket.search_count([]) if Ticket.has_access("read") else 0
        return values

    def _crm_plus_ticket(self, ticket_id, access_token=None):
        """The ticket as the visitor may see it (a sudo record, after the access check); NotFound otherwise."""
        try:
            return self._document_check_access(TICKET, ticket_id, access_token=access_token)
        except (AccessError, MissingError) as error:
            raise NotFound() from error

    def _crm_plus_author(self, ticket_sudo):
        """Who acts on the ticket: the logged-in user, or the ticket's contact for a visitor with its token."""
        if request.env.user._is_public():
            return ticket_sudo.partner_id
        return request.env.user.partner_id

    @staticmethod
    def _crm_plus_files():
        """[(name, content)] of the files of the posted form."""
        files = request.httprequest.files.getlist("attachments")
        return [(f.filename, f.read()) for f in files if f and f.filename]

    # ------------------------------------------------------------------------------------------------
    # list
    # ------------------------------------------------------------------------------------------------

    @http.route(["/my/tickets", "/my/tickets/page/<int:page>"], type="http", auth="user", website=True,
                methods=["GET"])
    def portal_my_tickets(self, page=1, filterby="open", sortby="date", **kw):
        Ticket = request.env[TICKET]
        if not Ticket.has_access("read"):
            raise NotFound()
        env = request.env
        filters = {
            "open": {"label": env._("Open"), "domain": [("is_closed", "=", False)]},
            "closed": {"label": env._("Closed"), "domain": [("is_closed", "=", True)]},
            "all": {"label": env._("All"), "domain": []},
        }
        sortings = {
            "date": {"label": env._("Newest"), "order": "create_date desc, id desc"},
            "name": {"label": env._("Subject"), "order": "name, id"},
            "stage": {"label": env._("Stage"), "order": "stage_id, id desc"},
        }
        filterby = filterby if filterby in filters else "open"
        sortby = sortby if sortby in sortings else "date"
        domain = filters[filterby]["domain"]
        total = Ticket.search_count(domain)
        pager = portal_pager(url="/my/tickets", url_args={"filterby": filterby, "sortby": sortby}, total=total,
                             page=page, step=self._items_per_page)
        # searched as the customer: the record rules decide which tickets are listed
        tickets = Ticket.search(domain, order=sortings[sortby]["order"], limit=self._items_per_page,
                                offset=pager["offset"])
        request.session["my_crm_plus_tickets_history"] = tickets.ids[:100]
        values = self._prepare_portal_layout_values()
        partner = request.env.user.partner_id
        values.update({
            # sudo: rendering the tickets found above (stage and team names are not readable by customers)
            "tickets": tickets.sudo(), "page_name": "crm_plus_tickets", "pager": pager, "default_url": "/my/tickets",
            "searchbar_filters": filters, "filterby": filterby, "searchbar_sortings": sortings, "sortby": sortby,
            "sees_company": partner._crm_plus_service_sees_company(),
            "is_service_admin": partner.crm_plus_service_portal_admin,
        })
        return request.render("crm_plus_service.portal_my_tickets", values)

    # ------------------------------------------------------------------------------------------------
    # one ticket
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_ticket_page(self, ticket_sudo, access_token=None, **kw):
        values = self._get_page_view_values(ticket_sudo, access_token, {}, "my_crm_plus_tickets_history", False)
        values.update({
            "ticket": ticket_sudo, "page_name": "crm_plus_ticket",
            "can_close": ticket_sudo._crm_plus_portal_can_close(self._crm_plus_author(ticket_sudo)),
            "errors": kw.get("errors") or [], "reply_text": kw.get("reply_text") or "",
            "success": kw.get("success"),
            # the portal chatter shows the public thread; the reply form below is the one way to answer
            "disable_composer": True,
        })
        values.update(self._prepare_portal_layout_values())
        values["page_name"] = "crm_plus_ticket"
        return request.render("crm_plus_service.portal_my_ticket", values, status=kw.get("status", 200))

    @http.route(["/my/tickets/<int:ticket_id>"], type="http", auth="public", website=True, methods=["GET"])
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._crm_plus_ticket(ticket_id, access_token)
        return self._crm_plus_ticket_page(ticket_sudo, access_token, success=kw.get("message") == "sent")

    @http.route(["/my/tickets/<int:ticket_id>/reply"], type="http", auth="public", website=True, methods=["POST"])
    def portal_ticket_reply(self, ticket_id, access_token=None, body="", **kw):
        ticket_sudo = self._crm_plus_ticket(ticket_id, access_token)
        if ticket_sudo.is_closed:
            return self._crm_plus_ticket_page(ticket_sudo, access_token, status=400, reply_text=body, errors=[
                request.env._("This ticket is closed: open a new one if you need more help.")])
        files = self._crm_plus_files()
        errors = ticket_sudo._crm_plus_portal_problems(body, [(name, len(content)) for name, content in files])
        if errors:
            if files:
                errors.append(request.env._("Please attach your files again."))
            return self._crm_plus_ticket_page(ticket_sudo, access_token, status=400, reply_text=body, errors=errors)
        ticket_sudo._crm_plus_portal_post(self._crm_plus_author(ticket_sudo), body, files)
        query = "?message=sent" + ("&access_token=%s" % access_token if access_token else "")
        return request.redirect("/my/tickets/%s%s" % (ticket_sudo.id, query))

    @http.route(["/my/tickets/<int:ticket_id>/close"], type="http", auth="public", website=True, methods=["POST"])
    def portal_ticket_close(self, ticket_id, access_token=None, **kw):
        ticket_sudo = self._crm_plus_ticket(ticket_id, access_token)
        author = self._crm_plus_author(ticket_sudo)
        if not ticket_sudo._crm_plus_portal_can_close(author):
            raise NotFound()
        ticket_sudo._crm_plus_portal_close(author)
        query = "?access_token=%s" % access_token if access_token else ""
        return request.redirect("/my/tickets/%s%s" % (ticket_sudo.id, query))

    # ------------------------------------------------------------------------------------------------
    # new ticket
    # ------------------------------------------------------------------------------------------------

    def _crm_plus_new_ticket_page(self, values=None, errors=(), status=200):
        Ticket = request.env[TICKET]
        page = self._prepare_portal_layout_values()
        page.update({
            "page_name": "crm_plus_ticket_new", "values": values or {}, "errors": list(errors),
            # sudo: ticket types are configuration (names only), shown to every customer
            "ticket_types": request.env["crm_plus.ticket.type"].sudo().search([]),
            "contracts": Ticket._crm_plus_portal_contracts(), "orders": Ticket._crm_plus_portal_orders(),
        })
        return request.render("crm_plus_service.portal_new_ticket", page, status=status)

    @http.route(["/my/tickets/new"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_new_ticket(self, **post):
        if not request.env[TICKET].has_access("read"):
            raise NotFound()
        if request.httprequest.method != "POST":
            return self._crm_plus_new_ticket_page()
        files = self._crm_plus_files()
        Ticket = request.env[TICKET]
        errors = Ticket._crm_plus_portal_problems(
            post.get("description", ""), [(name, len(content)) for name, content in files],
            subject=post.get("name", ""))
        if errors:
            if files:
                errors.append(request.env._("Please attach your files again."))
            return self._crm_plus_new_ticket_page(post, errors, status=400)
        try:
            ticket = Ticket._crm_plus_portal_create(post, files)
        except (AccessError, ValueError):
            error = request.env._("Please choose among your own contracts and orders.")
            return self._crm_plus_new_ticket_page(post, [error], status=400)
        return request.redirect("/my/tickets/%s" % ticket.id)

    @http.route(["/my/tickets/suggest"], type="json", auth="public", website=True, methods=["POST"],
                readonly=True)
    def portal_ticket_suggest(self, text="", **kw):
        """Published articles matching what the customer types on the new-ticket form (read-only, searched as
        the visitor: the record rules only let customers and visitors read published articles)."""
        articles = request.env["crm_plus.kb.article"]._crm_plus_kb_search(str(text)[:500], limit=5,
                                                                         published_only=True)
        return [{"id": a.id, "name": a.name, "summary": a.summary, "body": a.body} for a in articles]

    # ------------------------------------------------------------------------------------------------
    # who of the company sees its tickets (the customer's service admin contact)
    # ------------------------------------------------------------------------------------------------

    @http.route(["/my/tickets/colleagues"], type="http", auth="user", website=True, methods=["GET", "POST"])
    def portal_ticket_colleagues(self, **post):
        partner = request.env.user.partner_id
        if not partner.crm_plus_service_portal_admin or not request.env[TICKET].has_access("read"):
            raise NotFound()
        if request.httprequest.method == "POST":
            ids = [int(v) for v in request.httprequest.form.getlist("colleague_ids") if v.isdigit()]
            partner._crm_plus_service_set_company_tickets(ids)
            return request.redirect("/my/tickets/colleagues?saved=1")
        values = self._prepare_portal_layout_values()
        values.update({"page_name": "crm_plus_ticket_colleagues", "saved": bool(post.get("saved")),
                       "colleagues": partner._crm_plus_service_portal_colleagues()})
        return request.render("crm_plus_service.portal_ticket_colleagues", values)
