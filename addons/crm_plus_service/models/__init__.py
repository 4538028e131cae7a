from . import crm_plus_ticket, crm_plus_ticket_stage
from . import crm_plus_ticket_masking
from . import res_users
