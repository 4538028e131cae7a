from . import crm_plus_partner_change_wizard
from . import crm_plus_change_reject_wizard
from . import crm_plus_pool_assign_wizard
from . import crm_plus_return_visit_done_wizard
from . import crm_plus_handover_wizard
