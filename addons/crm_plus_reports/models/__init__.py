# the weekly target of a sales team (CRM adoption): its column exists before the views read it
from . import crm_team

# the SQL view every analysis stands on
from . import crm_plus_report_view_mixin

# analyses
from . import crm_plus_report_customer
from . import crm_plus_report_pipeline
from . import crm_plus_report_adoption
from . import crm_plus_report_cohort
from . import crm_plus_report_renewal
from . import crm_plus_report_receivable
from . import crm_plus_report_ticket
from . import crm_plus_report_referral
from . import crm_plus_report_competitor
from . import crm_plus_report_survey

# large exports written in the background
from . import crm_plus_report_export_job

# threshold alerts, told once per breach
from . import crm_plus_report_alert_rule
from . import crm_plus_report_alert_state

# KPIs of the periodic digest e-mails
from . import digest_digest
