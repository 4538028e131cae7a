from . import crm_plus_partner_change_wizard
from . import crm_plus_change_reject_wizard
