from . import test_service_roles, test_ticket, test_tools
from . import test_sla, test_mail, test_assignment_escalation, test_ticket_ui
from . import test_multi_company, test_two_hosts
from . import test_portal, test_portal_input, test_satisfaction, test_kb, test_portal_ui, test_merge
from . import test_ticket_events, test_api_ticket
from . import test_ticket_survey
