"""Browser tours of the portal, at desktop and phone width: a customer opens a ticket and is shown an article
while typing, replies on the ticket's page, and rates it once it is solved."""

from odoo.tests import HttpCase, tagged

from .test_portal import PortalCaseMixin


class PortalTourMixin(PortalCaseMixin):
    def _run_portal_tours(self):
        self._setup_portal()
        Ticket = self.env["crm_plus.ticket"]
        self.start_tour("/my/tickets/new", "crm_plus_service_portal_open_and_reply", login="portal_a")
        ticket = Ticket.search([("name", "=", "打印机卡纸")])
        self.assertEqual((len(ticket), ticket.partner_id, ticket.channel),
                         (1, self.users["portal_a"].partner_id, "portal"))
        self.assertTrue(ticket.message_ids.filtered(lambda m: "型号 LP-100" in (m.body or "")))
        ticket.action_solve()
        self.assertTrue(ticket.rating_ids)
        self.start_tour("/my/tickets", "crm_plus_service_portal_rate", login="portal_a")
        self.assertEqual((ticket.rating_ids.rating, ticket.rating_ids.consumed), (5.0, True))
        self.assertIn("很快解决了", ticket.rating_ids.feedback)


@tagged("post_install", "-at_install", "crm_plus_portal")
class TestPortalUiDesktop(PortalTourMixin, HttpCase):
    def test_portal_open_reply_rate(self):
        self._run_portal_tours()


@tagged("post_install", "-at_install", "crm_plus_portal")
class TestPortalUiMobile(PortalTourMixin, HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_portal_open_reply_rate_on_phone(self):
        self._run_portal_tours()
