# shared helpers every crm_plus addon uses: the batched cron loop, automated to-dos
from . import ir_cron
from . import crm_plus_cached_config_mixin
from . import mail_activity

# roles, data scopes and contact masking
from . import crm_plus_partner_link_mixin
from . import crm_plus_scope_mixin
from . import crm_plus_contact_mask_mixin
from . import res_users
from . import mail_tracking_value

# customer master data
from . import crm_plus_customer_level
from . import crm_plus_partner_key
# customers: the model, then one file per concern. The last imported is the outermost override: on write,
# the identity (USCC cleaning) runs first, then the identity lock and pool checks, then the base; after it
# the keys are synced (identity) before the duplicate check reads them (duplicate).
from . import res_partner
from . import res_partner_scope
from . import res_partner_finance
from . import res_partner_lifecycle
from . import res_partner_reminder
from . import res_partner_segment
from . import res_partner_engagement
# one customer timeline (messages, activities, meetings, orders, invoices ...), after-sale surveys
from . import res_partner_timeline
from . import crm_plus_survey_request
from . import res_partner_survey
from . import survey_survey
from . import survey_user_input
from . import res_partner_cleaning
from . import res_partner_import
from . import res_partner_pool
from . import res_partner_identity_lock
from . import res_partner_identity
from . import res_partner_duplicate
from . import crm_plus_duplicate_dismissal
from . import crm_plus_duplicate_group
from . import crm_plus_partner_merge
from . import crm_plus_partner_change_request
from . import crm_plus_import_template
from . import crm_plus_import_template_column
from . import crm_plus_import_job
from . import crm_plus_import_job_prepare
from . import crm_plus_import_job_apply
from . import crm_plus_import_job_line

# leads: the model, then one file per concern
from . import crm_lead
from . import crm_lead_scope
from . import crm_lead_customer
from . import crm_lead_contract
from . import crm_lead_routing
from . import crm_lead_search
from . import crm_lead_stage_gate
from . import crm_stage
from . import crm_plus_routing_rule
from . import crm_team

# customer pool (公海), return visits
from . import crm_plus_pool
from . import crm_plus_pool_move
from . import crm_plus_pool_level_rule
from . import crm_plus_return_visit
from . import res_users_handover

# contracts, orders, invoices
from . import crm_plus_line_tracking_mixin
from . import crm_plus_contract
from . import crm_plus_contract_approval
from . import crm_plus_contract_line
from . import crm_plus_contract_instalment
from . import sale_order
from . import sale_order_survey
from . import account_move

from . import res_config_settings
from . import res_config_settings_survey

# integrations: the one event emitter, the outbox and its delivery, robots and webhooks
from . import crm_plus_integration_target
from . import crm_plus_event_subscription
from . import crm_plus_outbox
from . import crm_plus_contract_instalment_events
from . import crm_lead_events
from . import crm_plus_integration_target_wechat
from . import res_partner_wechat
# the inbound API: clients (token, scopes, rate limit), the idempotency log, what it creates
from . import crm_plus_api_client
from . import res_users_integration
from . import crm_plus_api_request
from . import crm_plus_api_intake
from . import res_config_settings_integration

# data scopes, masking and ownership on every path (see docs/data-scopes.md)
from . import res_partner_ownership
from . import crm_lead_partner_values
from . import mail_message

# customer engagement: tags by dimension, saved segments, the automation recipes and their ledger
from . import res_partner_category
from . import crm_plus_segment
from . import crm_plus_engagement
from . import sale_order_engagement
from . import crm_plus_contract_engagement
from . import res_config_settings_engagement
# referrals (who referred a lead or customer, the rewards of won referrals) and competitors on opportunities
from . import crm_lead_referral
from . import res_partner_referral
from . import crm_plus_partner_merge_referral
from . import crm_plus_referral_reward
from . import crm_plus_event_subscription_referral
from . import res_config_settings_referral
from . import crm_plus_competitor
from . import crm_plus_lead_competitor
from . import crm_lead_competitor
