from . import test_customer_level, test_roles, test_ui
