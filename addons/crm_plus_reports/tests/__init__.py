from . import test_report_customer
from . import test_report_scopes
from . import test_report_analyses
from . import test_report_export
from . import test_report_customer360
from . import test_report_alerts
from . import test_report_digest
from . import test_report_dashboards
