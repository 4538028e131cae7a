from . import test_report_customer
