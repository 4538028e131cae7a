from . import crm_plus_report_export
from . import crm_plus_report_customer360
