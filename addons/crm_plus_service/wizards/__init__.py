from . import crm_plus_ticket_merge_wizard
