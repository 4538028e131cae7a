from . import test_service_roles, test_ticket
