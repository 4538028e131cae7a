from . import crm_plus_ticket, crm_plus_ticket_stage
