# configuration: teams, stages, types, tags, SLA policies and their escalation ladders
from . import crm_plus_ticket_team, crm_plus_ticket_stage, crm_plus_ticket_type, crm_plus_ticket_tag
from . import crm_plus_sla_policy, crm_plus_sla_escalation
# working time: resource calendars as SLA clocks read them, China's statutory schedule
from . import resource_calendar_sla, crm_plus_china_day, resource_calendar_china
# the ticket, then one file per concern (the last imported is the outermost override)
from . import crm_plus_ticket, crm_plus_ticket_clock, crm_plus_ticket_escalation_done
from . import crm_plus_ticket_scope, crm_plus_ticket_masking
from . import crm_plus_ticket_sla, crm_plus_ticket_assign, crm_plus_ticket_escalation, crm_plus_ticket_mail
from . import crm_plus_ticket_team_assign, mail_thread
# the customer portal, satisfaction
from . import crm_plus_ticket_portal, res_partner_portal
from . import crm_plus_ticket_rating, crm_plus_ticket_team_rating, res_partner_satisfaction, res_users_satisfaction
# after-sale surveys when a ticket is solved; tickets in the customer timeline
from . import crm_plus_ticket_survey, crm_plus_ticket_team_survey, res_config_settings_survey, res_partner_timeline
# knowledge base
from . import crm_plus_kb_article, crm_plus_ticket_kb
# merge, and the records tickets are about linking back to them
from . import crm_plus_ticket_merge, crm_plus_ticket_link_mixin
from . import crm_plus_contract_tickets, sale_order_tickets, account_move_tickets
# ticket events for robots and webhooks (crm_plus's outbox)
from . import crm_plus_ticket_events
# tickets created through crm_plus's inbound API
from . import crm_plus_api_ticket
# what the service adds to core models
from . import crm_plus_contract, res_partner, res_users, res_users_skills, res_config_settings
