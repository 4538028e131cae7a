from . import test_service_roles, test_ticket, test_tools
from . import test_sla, test_mail, test_assignment_escalation, test_ticket_ui
from . import test_multi_company
from . import test_ticket_events
from . import test_api_ticket
