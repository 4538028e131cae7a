from . import test_report_customer
from . import test_report_scopes
from . import test_report_analyses
from . import test_report_export
