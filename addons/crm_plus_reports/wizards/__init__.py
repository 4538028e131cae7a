from . import crm_plus_report_export
