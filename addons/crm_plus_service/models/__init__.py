from . import crm_plus_ticket, crm_plus_ticket_stage
from . import res_users
