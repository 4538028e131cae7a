from odoo.tests import new_test_user

from odoo.addons.crm_plus.tests.common import CrmPlusCase


class CrmPlusServiceCase(CrmPlusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_agent = new_test_user(cls.env, login="cp_agent", name="Agent One",
                                       groups="crm_plus_service.group_crm_plus_service_agent")
        cls.user_agent2 = new_test_user(cls.env, login="cp_agent2", name="Agent Two",
                                        groups="crm_plus_service.group_crm_plus_service_agent")
        cls.user_service_manager = new_test_user(cls.env, login="cp_service_manager", name="Service Manager",
                                                 groups="crm_plus_service.group_crm_plus_service_manager")
        cls.other_customer = cls.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        Ticket = cls.env["crm_plus.ticket"]
        cls.ticket_agent = Ticket.create({"name": "Agent one's", "partner_id": cls.customer.id,
                                          "user_id": cls.user_agent.id})
        cls.ticket_agent2 = Ticket.create({"name": "Agent two's", "partner_id": cls.other_customer.id,
                                           "user_id": cls.user_agent2.id})
        cls.ticket_unassigned = Ticket.create({"name": "Nobody's", "partner_id": cls.other_customer.id,
                                               "user_id": False})
        cls.tickets = cls.ticket_agent | cls.ticket_agent2 | cls.ticket_unassigned

    @classmethod
    def _make_calendar(cls, name="Shanghai 9-12 13-18", tz="Asia/Shanghai", days=(0, 1, 2, 3, 4)):
        """A calendar of 9:00-12:00 and 13:00-18:00 on ``days``."""
        return cls.env["resource.calendar"].create({
            "name": name, "tz": tz, "attendance_ids": [
                (0, 0, {"name": "%s %s" % (d, p), "dayofweek": str(d), "hour_from": f, "hour_to": t,
                        "day_period": p})
                for d in days for f, t, p in ((9, 12, "morning"), (13, 18, "afternoon"))],
        })
